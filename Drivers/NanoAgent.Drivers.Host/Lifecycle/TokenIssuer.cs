using System.Security.Cryptography;
using NanoAgent.Drivers.Lifecycle;

namespace NanoAgent.Drivers.Host.Lifecycle;

/// <summary>
/// The domain owner's side of delegated management tokens (GPC v2.3.1 Annex C.4): an ECDSA P-256 key whose public point the
/// owner writes into its SD (STORE DATA 'DF7A'), and signatures over the layouts of <see cref="DelegatedToken"/>.
/// <see cref="ToString"/> shows no key material.
/// </summary>
public sealed class TokenIssuer : IDisposable
{
    private readonly ECDsa _key;

    /// <summary>Creates an issuer with a new key.</summary>
    public TokenIssuer()
        : this(ECDsa.Create(ECCurve.NamedCurves.nistP256))
    {
    }

    /// <summary>Creates an issuer over an existing P-256 key (owned).</summary>
    /// <param name="key">The key.</param>
    public TokenIssuer(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
    }

    /// <summary>Returns the public point, uncompressed (04 | X | Y, 65 bytes).</summary>
    /// <returns>The point.</returns>
    public byte[] PublicPoint()
    {
        ECParameters p = _key.ExportParameters(false);
        return [0x04, .. p.Q.X!, .. p.Q.Y!];
    }

    /// <summary>Returns the STORE DATA TLV that installs the token verification key: DF7A 41 04 X Y.</summary>
    /// <returns>The TLV.</returns>
    public byte[] TokenKeyTlv() => [0xDF, 0x7A, 0x41, .. PublicPoint()];

    /// <summary>Signs an install token.</summary>
    /// <param name="loadFileAid">The load file AID.</param>
    /// <param name="moduleAid">The module AID.</param>
    /// <param name="instanceAid">The instance AID.</param>
    /// <param name="privileges">The privileges.</param>
    /// <param name="applicationParameters">The 'C9' value.</param>
    /// <returns>The 64-byte token.</returns>
    public byte[] Install(byte[] loadFileAid, byte[] moduleAid, byte[] instanceAid, byte[] privileges, byte[] applicationParameters)
    {
        byte[] signed = new byte[300];
        int n = DelegatedToken.InstallSignedData(loadFileAid, moduleAid, instanceAid, privileges, applicationParameters, signed, 0);
        return Sign(signed.AsSpan(0, n));
    }

    /// <summary>Signs a delete token.</summary>
    /// <param name="aid">The AID to delete.</param>
    /// <param name="related">True for P2 '80'.</param>
    /// <returns>The 64-byte token.</returns>
    public byte[] Delete(byte[] aid, bool related)
    {
        byte[] signed = new byte[32];
        int n = DelegatedToken.DeleteSignedData(aid, related, signed, 0);
        return Sign(signed.AsSpan(0, n));
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    /// <inheritdoc />
    public override string ToString() => "TokenIssuer ECDSA P-256";

    private byte[] Sign(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
