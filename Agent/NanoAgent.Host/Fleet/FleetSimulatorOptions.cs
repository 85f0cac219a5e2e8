using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Fleet;

/// <summary>What <see cref="FleetSimulator"/> starts: how many devices, their names, the tenant and the broker.</summary>
public sealed class FleetSimulatorOptions
{
    /// <summary>Gets the number of devices.</summary>
    public required int Devices { get; init; }

    /// <summary>Gets the device id prefix.</summary>
    public string Prefix { get; init; } = "sim-";

    /// <summary>Gets the number of the first device.</summary>
    public int FirstIndex { get; init; } = 1;

    /// <summary>Gets the tenant every device serves.</summary>
    public required SimulatedTenant Tenant { get; init; }

    /// <summary>Gets the broker.</summary>
    public required MqttBrokerAddress Broker { get; init; }

    /// <summary>Gets TLS settings, or null.</summary>
    public MqttNetSettings? Mqtt { get; init; }

    /// <summary>Gets the secret each device's broker password is derived from, or null for no login.</summary>
    public byte[]? PasswordSecret { get; init; }

    /// <summary>Gets how long each command takes on a device's SE (zero: as fast as the virtual card goes). A pump thread
    /// waits that long, so give enough pumps for the devices busy at once.</summary>
    public TimeSpan SeLatency { get; init; }

    /// <summary>Gets the number of pump threads that run devices with work.</summary>
    public int Pumps { get; init; } = Math.Max(2, Environment.ProcessorCount);
}
