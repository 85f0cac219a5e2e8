using System.Security.Cryptography;
using NanoAgent.Agent.Gating;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;

namespace NanoAgent.Host.Gate;

/// <summary>
/// The backend side of signed readings for one tenant of one device: checks the envelope (docs/gating.md), the MAC with the
/// tenant's gate key (constant time) or the ECDSA signature with the gate's public key, and that the counter is strictly
/// larger than the last one accepted, which is persisted in a small file. The card decides the MAC input order and the KCV
/// (docs/se05x.md "Gated readings"): an SE05x gate MACs the counter first, and its KCV is CMAC(key, 16 × '01'). Thread-safe.
/// </summary>
public sealed class GateVerifier
{
    private readonly string _device;
    private readonly string _tenant;
    private readonly byte[] _aid;
    private readonly byte[]? _macKey;
    private readonly byte[]? _kcv;
    private readonly ECDsa? _publicKey;
    private readonly GateCounterFile _counter;
    private readonly object _lock = new();
    private readonly GateCard _card;

    /// <summary>Creates a verifier for CMAC'd readings.</summary>
    /// <param name="device">The device id expected in the envelope.</param>
    /// <param name="tenant">The tenant id expected in the envelope.</param>
    /// <param name="gateAid">The tenant's gate instance AID.</param>
    /// <param name="macKey">The gate's AES-128 MAC key.</param>
    /// <param name="counterFile">Where the last accepted counter is kept.</param>
    /// <param name="card">The card whose gate made the readings (MAC input order and KCV).</param>
    public GateVerifier(string device, string tenant, byte[] gateAid, byte[] macKey, GateCounterFile counterFile, GateCard card = GateCard.GateApplet)
        : this(device, tenant, gateAid, counterFile)
    {
        _card = card;
        _macKey = macKey.ToArray();
        _kcv = card == GateCard.Se05x ? Se05xKeyCheckValue(_macKey) : KeyCheckValue(_macKey);
    }

    /// <summary>Creates a verifier for ECDSA-signed readings (public key from the gate's GET DATA '7F49').</summary>
    /// <param name="device">The device id expected.</param>
    /// <param name="tenant">The tenant id expected.</param>
    /// <param name="gateAid">The gate AID.</param>
    /// <param name="publicPoint">The gate's public key as read by GET DATA '7F49': '04' || X || Y (65 bytes).</param>
    /// <param name="counterFile">Where the last accepted counter is kept.</param>
    /// <returns>The verifier.</returns>
    /// <exception cref="ArgumentException">The point is not 65 bytes starting with '04'.</exception>
    public static GateVerifier ForSignatures(string device, string tenant, byte[] gateAid, byte[] publicPoint, GateCounterFile counterFile) =>
        new(device, tenant, gateAid, publicPoint.AsSpan(), counterFile);

    private GateVerifier(string device, string tenant, byte[] gateAid, ReadOnlySpan<byte> publicPoint, GateCounterFile counterFile)
        : this(device, tenant, gateAid, counterFile)
    {
        if (publicPoint.Length != 65 || publicPoint[0] != 0x04)
        {
            throw new ArgumentException("An uncompressed P-256 point is 65 bytes starting with 04.", nameof(publicPoint));
        }

        _publicKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = publicPoint[1..33].ToArray(), Y = publicPoint[33..].ToArray() },
        });
    }

    private GateVerifier(string device, string tenant, byte[] gateAid, GateCounterFile counterFile)
    {
        _device = device;
        _tenant = tenant;
        _aid = gateAid.ToArray();
        _counter = counterFile;
    }

    /// <summary>Computes the 3-byte KCV of an AES key: AES-ECB(key, 16 × '01'), first 3 bytes (GP Amd D convention).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The KCV.</returns>
    public static byte[] KeyCheckValue(byte[] key)
    {
        byte[] block = new byte[16];
        block.AsSpan().Fill(0x01);
        BouncyCastleAesFactory.Instance.CreateAes(key, 0, key.Length).EncryptBlock(block, 0, block, 0);
        return block[..3];
    }

    /// <summary>Computes the 3-byte KCV an SE05x gate reports: CMAC(key, 16 × '01'), first 3 bytes (the SE05x makes it with its
    /// sign-only reading key; it cannot encrypt with it).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The KCV.</returns>
    public static byte[] Se05xKeyCheckValue(byte[] key)
    {
        byte[] block = new byte[16];
        block.AsSpan().Fill(0x01);
        byte[] mac = new byte[16];
        new AesCmac(BouncyCastleAesFactory.Instance.CreateAes(key, 0, key.Length)).Compute(block, 0, 16, mac, 0);
        return mac[..3];
    }

    /// <summary>Verifies one reading envelope and, when accepted, saves its counter.</summary>
    /// <param name="envelope">The MQTT payload.</param>
    /// <returns>The verdict with a reason.</returns>
    /// <exception cref="IOException">The counter file cannot be read or written.</exception>
    public GateVerification Verify(byte[] envelope)
    {
        var e = new GateEnvelope();
        if (envelope is null || !e.TryParse(envelope, 0, envelope.Length) || e.Template != GateEnvelope.ReadingTemplate)
        {
            return Reject(GateVerdict.Malformed, "not a reading envelope", e);
        }

        if (e.Device != _device || e.Tenant != _tenant)
        {
            return Reject(GateVerdict.Malformed, $"for device '{e.Device}' tenant '{e.Tenant}', expected '{_device}' '{_tenant}'", e);
        }

        byte[] input = new byte[GateMacInput.MaxLength];
        int n = GateMacInput.Build(_card, GateMacInput.ReadingLabel, _aid, e.Counter, envelope, e.BodyOffset, e.BodyLength, input, 0);
        if (_macKey is not null)
        {
            if (e.Mac is null)
            {
                return Reject(GateVerdict.WrongKey, "signed, but this tenant's gate uses a MAC key", e);
            }

            byte[] mac = new byte[16];
            new AesCmac(BouncyCastleAesFactory.Instance.CreateAes(_macKey, 0, _macKey.Length)).Compute(input, 0, n, mac, 0);
            if (!ConstantTime.AreEqual(mac, 0, e.Mac, 0, 16))
            {
                return ConstantTime.AreEqual(e.Kcv!, 0, _kcv!, 0, 3)
                    ? Reject(GateVerdict.Tampered, "MAC does not verify: the reading was changed", e)
                    : Reject(GateVerdict.WrongKey, "MAC made with another key (KCV " + Convert.ToHexString(e.Kcv!) + ")", e);
            }
        }
        else if (e.Signature is null
            || !_publicKey!.VerifyData(input.AsSpan(0, n), e.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return Reject(e.Signature is null ? GateVerdict.WrongKey : GateVerdict.Tampered, "ECDSA signature does not verify", e);
        }

        lock (_lock)
        {
            ulong last = _counter.Read();
            if (e.Counter <= last)
            {
                return Reject(GateVerdict.Replayed, $"counter {e.Counter} is not above the last seen {last}", e);
            }

            _counter.Write(e.Counter);
        }

        return new GateVerification(GateVerdict.Accepted, "accepted", e.Counter, e.Name, e.Unit, e.Timestamp, e.Value);
    }

    private static GateVerification Reject(GateVerdict verdict, string reason, GateEnvelope e) =>
        new(verdict, reason, e.HasCounter ? e.Counter : 0, e.Name, e.Unit, e.Timestamp, e.Value);
}
