using System.Security.Cryptography;
using NanoAgent.Agent.Gating;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Se05x;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Host.Gate;

/// <summary>
/// The backend side of attested reads (docs/se05x.md "Attested reads"): checks that an answer is for this device, tenant,
/// sensor and the freshness this backend chose, that the attested command is I2CM_ExecuteCommandSet with attestation
/// carrying that freshness, and that the SE's ECDSA signature (P-256, SHA-256, DER) verifies with the tenant's attestation
/// key over what the applet signs: on applet 3.x the answer's TLVs before the signature (TAG_1 results, TAG_3 timestamp,
/// TAG_4 freshness, TAG_5 chip id), on 7.x the command header with an extended Lc, the command data and the answer's TLVs
/// before the signature (NXP's middleware verifies read attestation that way; what the virtual SE05x signs). The value is
/// the data of the last I2C read.
/// </summary>
public sealed class AttestationVerifier
{
    private readonly string _device;
    private readonly string _tenant;
    private readonly ECDsa _key;

    /// <summary>Creates the verifier.</summary>
    /// <param name="device">The device id expected.</param>
    /// <param name="tenant">The tenant id expected.</param>
    /// <param name="publicPoint">The attestation key's public part, <c>04 ‖ X ‖ Y</c> (65 bytes), as ReadObject gives it.</param>
    /// <exception cref="ArgumentException">The point is not 65 bytes starting with '04'.</exception>
    public AttestationVerifier(string device, string tenant, byte[] publicPoint)
    {
        if (publicPoint is not { Length: 65 } || publicPoint[0] != 0x04)
        {
            throw new ArgumentException("An uncompressed P-256 point is 65 bytes starting with 04.", nameof(publicPoint));
        }

        _device = device;
        _tenant = tenant;
        _key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = publicPoint[1..33], Y = publicPoint[33..] },
        });
    }

    /// <summary>Checks one answer.</summary>
    /// <param name="payload">The <c>attest/res</c> payload.</param>
    /// <param name="sensor">The sensor asked for.</param>
    /// <param name="freshness">The freshness sent.</param>
    /// <returns>The verdict: accepted with the value, or rejected with why.</returns>
    public AttestationVerdict Verify(byte[] payload, string sensor, byte[] freshness)
    {
        var e = new AttestationEnvelope();
        if (!e.TryParse(payload, 0, payload.Length) || e.Template != AttestationEnvelope.ResponseTemplate)
        {
            return AttestationVerdict.Rejected("not an attestation answer");
        }

        if (e.Device != _device || e.Tenant != _tenant || e.Sensor != sensor || !CryptographicOperations.FixedTimeEquals(e.Freshness, freshness))
        {
            return AttestationVerdict.Rejected($"for {e.Device}/{e.Tenant}/{e.Sensor} or another request, not this one");
        }

        if (e.Status != AttestationEnvelope.Attested || e.Command is null || e.Answer is null)
        {
            return AttestationVerdict.Rejected($"the agent answered: {e.Text} (status {e.Status})");
        }

        if (CommandApduView.TryParse(e.Command, 0, e.Command.Length, out CommandApduView view) != 0 || view.Cla != 0x80 || view.Ins != 0x23 || view.P2 != 0x30
            || !TryTag(e.Command, view.DataOffset, view.Nc, 0x47, out byte[]? sent) || !CryptographicOperations.FixedTimeEquals(sent!, freshness))
        {
            return AttestationVerdict.Rejected("the attested command is not an I2CM read with this freshness");
        }

        byte[] answer = [.. e.Answer, 0x90, 0x00];
        bool v7 = TryTag(e.Answer, 0, e.Answer.Length, 0x52, out _);

        // Exactly the form the agent sends: P1 00; on 7.x extended Lc and Le 0000 (the signature covers the header and data,
        // so no byte is left that could change unseen). On 3.x the signature covers the answer alone: which I2C operations the
        // SE ran is not attested there (docs/se05x.md).
        bool extended = e.Command.Length == 7 + view.Nc + 2 && e.Command[4] == 0x00 && e.Command[^2] == 0x00 && e.Command[^1] == 0x00;
        if (view.P1 != 0x00 || (v7 && !extended))
        {
            return AttestationVerdict.Rejected("the attested command is not in the form the agent sends");
        }
        Se05xAttestedI2cmResponse parsed;
        try
        {
            Se05xAttestedI2cmResponse.TryParse(answer, 0, answer.Length, v7, out parsed);
        }
        catch (Se05xException x)
        {
            return AttestationVerdict.Rejected("the SE's answer is malformed: " + x.Message);
        }

        if (!v7 && !CryptographicOperations.FixedTimeEquals(answer.AsSpan(parsed.FreshnessOffset, parsed.FreshnessLength), freshness))
        {
            return AttestationVerdict.Rejected("the SE signed another freshness");
        }

        byte[] signed = v7
            ? [0x80, view.Ins, view.P1, view.P2, 0x00, (byte)(view.Nc >> 8), (byte)view.Nc, .. e.Command.AsSpan(view.DataOffset, view.Nc), .. answer.AsSpan(0, parsed.SignedLength)]
            : answer[..parsed.SignedLength];
        byte[] signature = answer[parsed.SignatureOffset..(parsed.SignatureOffset + parsed.SignatureLength)];
        bool valid;
        try
        {
            valid = _key.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            valid = false;
        }

        if (!valid)
        {
            return AttestationVerdict.Rejected("the signature does not verify with this attestation key");
        }

        byte status;
        int readAt, readLength;
        try
        {
            status = Se05xI2cmResult.Walk(answer, parsed.ResultOffset, parsed.ResultLength, out readAt, out readLength);
        }
        catch (Se05xException x)
        {
            return AttestationVerdict.Rejected("the I2C results are malformed: " + x.Message);
        }

        return status != Se05xI2cmResult.Success
            ? AttestationVerdict.Rejected($"an I2C operation failed (status {status:X2})")
            : AttestationVerdict.Accepted(answer[readAt..(readAt + readLength)],
                answer[parsed.TimestampOffset..(parsed.TimestampOffset + parsed.TimestampLength)], answer[parsed.ChipIdOffset..(parsed.ChipIdOffset + parsed.ChipIdLength)]);
    }

    private static bool TryTag(byte[] data, int offset, int count, int tag, out byte[]? value)
    {
        value = null;
        try
        {
            var r = new BerTlvReader(data, offset, count);
            while (r.Read())
            {
                if (r.Tag == tag)
                {
                    value = data[r.ValueOffset..(r.ValueOffset + r.ValueLength)];
                    return true;
                }
            }
        }
        catch (TlvException)
        {
        }

        return false;
    }
}
