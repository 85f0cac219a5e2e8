using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Provision;

/// <summary>Everything <see cref="ProvisionConsole"/> needs besides the bundle.</summary>
public sealed class ProvisionOptions
{
    /// <summary>Gets the device id (must be the bundle's).</summary>
    public required string Device { get; init; }

    /// <summary>Gets the broker the device's agent is connected to.</summary>
    public MqttBrokerAddress? Broker { get; set; }

    /// <summary>Gets the MQTT user name, or null.</summary>
    public string? UserName { get; init; }

    /// <summary>Gets the MQTT password, or null.</summary>
    public string? Password { get; init; }

    /// <summary>Gets the broker TLS settings (CA file, client certificate), or null for the defaults.</summary>
    public MqttNetSettings? Mqtt { get; init; }

    /// <summary>Gets the journal file (finished items; a re-run resumes after them).</summary>
    public required string JournalPath { get; init; }

    /// <summary>Gets the receipt file written at the end.</summary>
    public required string ReceiptPath { get; init; }

    /// <summary>Gets how long the console waits without any sign from the agent before it gives up on an item.</summary>
    public TimeSpan ItemTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Gets how long it waits without any sign before sending the pending item again (same script id).</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the first reconnect delay in milliseconds after a dropped link (doubles up to 5 s).</summary>
    public int ReconnectMinDelayMilliseconds { get; init; } = 250;
}
