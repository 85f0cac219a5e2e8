using System.Security.Cryptography;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.VirtualSe.Se05x.I2cm;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>How a virtual SE05x is made: its applet version (for a fresh card), its second I2C bus, random source and clock.</summary>
public sealed class Se05xCardOptions
{
    /// <summary>Gets the applet major version of a fresh card: 3 (SE050, applet 3.1.0, 892-byte payloads) or 7 (SE051,
    /// applet 7.2.0, 1024-byte payloads). A card loaded from its state file keeps the version it was made with.</summary>
    public int AppletMajor { get; init; } = 3;

    /// <summary>Gets the second I2C bus, driven by the SE's I2C controller; default a <see cref="VirtualSensorBus"/>.</summary>
    public II2cBusFactory SensorBus { get; init; } = new VirtualSensorBus();

    /// <summary>Gets a value that, when true, requires platform SCP whatever the stored state says (the operator provisioned
    /// it); false or null leave the card's own state (AN12413 SetPlatformSCPRequest) in force.</summary>
    public bool? PlatformScpRequired { get; init; }

    /// <summary>Gets the random source: card challenges (platform SCP03 and AESKey sessions), session ids and GetRandom; key
    /// generation and ECDSA use the OS generator. Default the OS generator.</summary>
    public Action<byte[]> Random { get; init; } = static buffer => RandomNumberGenerator.Fill(buffer);

    /// <summary>Makes a copy that says whether platform SCP is required.</summary>
    internal Se05xCardOptions WithPlatformScpRequired(bool required) => new()
    {
        AppletMajor = AppletMajor,
        SensorBus = SensorBus,
        PlatformScpRequired = required,
        Random = Random,
        Clock = Clock,
    };

    /// <summary>Gets the clock behind attestation timestamps, in milliseconds; default the system tick count.</summary>
    public Func<long> Clock { get; init; } = static () => Environment.TickCount64;
}
