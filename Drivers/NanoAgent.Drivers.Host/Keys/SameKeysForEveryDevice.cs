using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Host.Keys;

/// <summary>
/// A tenant's one SCP03 key set given to every device, without diversification: what a tenant key file holds today.
/// </summary>
public sealed class SameKeysForEveryDevice : IDeviceKeySource
{
    private readonly Scp03StaticKeys _keys;
    private readonly string _where;

    /// <summary>Creates the source over one key set.</summary>
    /// <param name="keys">The tenant's key set.</param>
    /// <param name="where">Where the key set came from (a file path), for <see cref="Description"/>.</param>
    public SameKeysForEveryDevice(Scp03StaticKeys keys, string where)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(where);
        _keys = keys;
        _where = where;
    }

    /// <inheritdoc />
    public string Description => $"same keys for every device (no diversification), {_where}, {_keys}";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The key version is not the one key set's, or the data is not 10 bytes.</exception>
    public Scp03StaticKeys KeysFor(byte keyVersion, byte[] diversificationData)
    {
        ArgumentNullException.ThrowIfNull(diversificationData);
        if (diversificationData.Length != 10)
        {
            throw new ArgumentException("Key diversification data is 10 bytes.", nameof(diversificationData));
        }

        if (keyVersion != _keys.KeyVersion)
        {
            throw new ArgumentException($"This source holds key version {_keys.KeyVersion:X2}, not {keyVersion:X2}.", nameof(keyVersion));
        }

        return _keys;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
