using System.Security.Cryptography;
using NanoAgent.Drivers.Tlv;
using NanoAgent.VirtualSe.Card;

namespace NanoAgent.VirtualSe.Gate;

/// <summary>
/// The STORE DATA content a gate accepts (docs/gating.md §Keying), BER-TLV objects in any order:
/// <list type="bullet">
/// <item>'81' 16 bytes: the AES-128 MAC key. Only in a session with C-DECRYPTION (security level b2), so the key never
/// travels in clear; else '6982'.</item>
/// <item>'82' '01': generate a fresh ECDSA P-256 key pair in the card (public key readable by GET DATA '7F49').</item>
/// </list>
/// Anything else, or a malformed TLV: '6A80'. Keying sets the owner to the forwarding SD; counters never go back, even
/// across re-keying.
/// </summary>
internal static class GatePersonalization
{
    private const byte TagMacKey = 0x81;
    private const byte TagGenerateEc = 0x82;

    public static ushort Apply(GateRecord current, string owner, byte securityLevel, ReadOnlySpan<byte> data, out GateRecord? next)
    {
        next = null;
        byte[] copy = data.ToArray();
        byte[]? macKey = null;
        bool generate = false;
        try
        {
            var reader = new BerTlvReader(copy, 0, copy.Length);
            while (reader.Read())
            {
                if (reader.Tag == TagMacKey && reader.ValueLength == 16)
                {
                    macKey = copy.AsSpan(reader.ValueOffset, 16).ToArray();
                }
                else if (reader.Tag == TagGenerateEc && reader.ValueLength == 1 && copy[reader.ValueOffset] == 0x01)
                {
                    generate = true;
                }
                else
                {
                    return StatusWords.WrongData;
                }
            }
        }
        catch (TlvException)
        {
            return StatusWords.WrongData;
        }

        if (macKey is null && !generate)
        {
            return StatusWords.WrongData;
        }

        if (macKey is not null && (securityLevel & Drivers.Scp03.Scp03SecurityLevel.CDecryption) == 0)
        {
            // A key only travels C-DEC encrypted (GP Amd D §6.2.6).
            return StatusWords.SecurityStatusNotSatisfied;
        }

        next = current.Clone();
        if (next.Owner != owner)
        {
            // A new owner never inherits keys from a previous instance with the same AID.
            next.MacKey = null;
            next.EcPrivateKey = null;
            next.Owner = owner;
        }

        if (macKey is not null)
        {
            next.MacKey = macKey;
        }

        if (generate)
        {
            using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            next.EcPrivateKey = ec.ExportPkcs8PrivateKey();
        }

        return StatusWords.Ok;
    }
}
