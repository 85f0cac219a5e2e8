using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Host.Keys;

/// <summary>
/// Per-device keys diversified (<see cref="Kdf3Diversification"/>) from master keys held in a key file of the tenant key
/// format: its "enc", "mac" and "dek" are the master keys of Key-ENC, Key-MAC and Key-DEK (write one key three times for
/// GlobalPlatformPro's single master key), its "kvn" the key version of every device's derived set. The master keys stay in
/// the loaded key set; only AES-CMAC values come out of it.
/// </summary>
public sealed class FileMasterKeySource : IDeviceKeySource
{
    private readonly Scp03StaticKeys _master;
    private readonly string _where;
    private readonly AesCmac _enc;
    private readonly AesCmac _mac;
    private readonly AesCmac _dek;
    private readonly object _gate = new();

    /// <summary>Creates the source.</summary>
    /// <param name="master">The master key set (as loaded from the key file).</param>
    /// <param name="where">The key file's path, for <see cref="Description"/>.</param>
    public FileMasterKeySource(Scp03StaticKeys master, string where)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(where);
        _master = master;
        _where = where;
        _enc = new AesCmac(master.CreateEncCipher());
        _mac = new AesCmac(master.CreateMacCipher());
        _dek = new AesCmac(master.CreateDekCipher());
    }

    /// <summary>Gets the key version of the derived key sets (the key file's "kvn").</summary>
    public byte KeyVersion => _master.KeyVersion;

    /// <inheritdoc />
    public string Description => $"{Kdf3Diversification.Name}, master keys in {_where}, {_master}, ENC master CKA_CHECK_VALUE {TokenCheckValue}";

    /// <summary>
    /// Gets the ENC master key's check value as a PKCS #11 token shows it (CKA_CHECK_VALUE of an AES key, PKCS #11 v2.40:
    /// the first 3 bytes of the key's ECB encryption of a zero block), so a key file and a token can be seen to hold the same key.
    /// </summary>
    public string TokenCheckValue
    {
        get
        {
            byte[] block = new byte[16];
            _master.CreateEncCipher().EncryptBlock(block, 0, block, 0);
            return Convert.ToHexString(block, 0, 3);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The key version is not the file's, or the data is not 10 bytes.</exception>
    public Scp03StaticKeys KeysFor(byte keyVersion, byte[] diversificationData)
    {
        Kdf3Diversification.CheckData(diversificationData);
        if (keyVersion != _master.KeyVersion)
        {
            throw new ArgumentException($"This master key file derives key version {_master.KeyVersion:X2}, not {keyVersion:X2}.", nameof(keyVersion));
        }

        lock (_gate)
        {
            return Kdf3Diversification.DeriveKeySet(_master.Factory, keyVersion, diversificationData, _master.KeyLength, Prf);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private byte[] Prf(byte keyType, byte[] input)
    {
        AesCmac cmac = keyType switch
        {
            Kdf3Diversification.Enc => _enc,
            Kdf3Diversification.Mac => _mac,
            _ => _dek,
        };
        byte[] mac = new byte[AesCmac.MacLength];
        cmac.Compute(input, 0, input.Length, mac, 0);
        return mac;
    }
}
