using System.Buffers.Binary;
using System.Security.Cryptography;
using NanoAgent.VirtualSe.Card;

namespace NanoAgent.VirtualSe.Gate;

/// <summary>
/// GET DATA on a gate instance (INS 'CA', CLA '00' or '80', no data):
/// P1-P2 '7F49': public key template '7F49' { '86' '04' || X || Y } (ISO/IEC 7816-8 style; '6A88' without a key pair);
/// P1-P2 '00C1': status 'C1' { '81' MAC key KCV (empty when none), '82' reading counter (8: the last handed out, or after a
/// card reset the saved reservation; the next reading gets a larger one), '83' command counter (8),
/// '84' '01' when an ECDSA key pair exists else '00' }. Other P1-P2: '6A88'.
/// </summary>
internal static class GateData
{
    public static CardReply Process(GateRecord? record, ulong readingCounter, in CardCommand command, Span<byte> output)
    {
        if (!command.Data.IsEmpty)
        {
            return CardReply.Status(StatusWords.WrongLength);
        }

        switch (command.P1P2)
        {
            case 0x7F49:
                {
                    if (record?.EcPrivateKey is null)
                    {
                        return CardReply.Status(StatusWords.ReferencedDataNotFound);
                    }

                    using ECDsa ec = ECDsa.Create();
                    ec.ImportPkcs8PrivateKey(record.EcPrivateKey, out _);
                    ECParameters p = ec.ExportParameters(false);
                    byte[] point = [0x04, .. p.Q.X!, .. p.Q.Y!];
                    int at = TlvBytes.Write(output[TlvBytes.HeaderRoom..], 0x86, point);
                    return CardReply.Data(TlvBytes.Wrap(output, 0x7F49, at));
                }

            case 0x00C1:
                {
                    Span<byte> content = output[TlvBytes.HeaderRoom..];
                    byte[] kcv = record?.MacKey is { } key ? GateMac.KeyCheckValue(key) : [];
                    byte[] counter = new byte[8];
                    int at = TlvBytes.Write(content, 0x81, kcv);
                    BinaryPrimitives.WriteUInt64BigEndian(counter, readingCounter);
                    at += TlvBytes.Write(content[at..], 0x82, counter);
                    BinaryPrimitives.WriteUInt64BigEndian(counter, record?.CommandCounter ?? 0);
                    at += TlvBytes.Write(content[at..], 0x83, counter);
                    at += TlvBytes.Write(content[at..], 0x84, (byte)(record?.EcPrivateKey is null ? 0 : 1));
                    return CardReply.Data(TlvBytes.Wrap(output, 0xC1, at));
                }

            default:
                return CardReply.Status(StatusWords.ReferencedDataNotFound);
        }
    }
}
