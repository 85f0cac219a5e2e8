using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Host.Keys;

/// <summary>Per-device SCP03 static keys of one tenant, derived from a master key (file or PKCS#11 token).</summary>
public interface IDeviceKeySource : IDisposable
{
    /// <summary>Gets a one-line description without secrets (scheme, where the master key is, its KCV where known).</summary>
    string Description { get; }

    /// <summary>Gets a device's static keys.</summary>
    /// <param name="keyVersion">The key version number of the key set.</param>
    /// <param name="diversificationData">The device's unique data (the key diversification data the SD returns in INITIALIZE UPDATE, 10 bytes).</param>
    Scp03StaticKeys KeysFor(byte keyVersion, byte[] diversificationData);
}
