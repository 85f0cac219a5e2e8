namespace NanoAgent.Host.Gate;

/// <summary>
/// What every gate backend command (<c>backend watch</c>, <c>actuate</c>, <c>attest</c>) needs to reach one tenant's
/// gate on one device: the broker, the login, the device and tenant ids, and the output form.
/// </summary>
public abstract class GateBackendRequest
{
    /// <summary>Gets the broker URL.</summary>
    public required string Broker { get; init; }

    /// <summary>Gets the broker user name, or null.</summary>
    public string? User { get; init; }

    /// <summary>Gets the broker password, or null.</summary>
    public string? Password { get; init; }

    /// <summary>Gets the broker TLS settings (CA file, client certificate), or null for the defaults.</summary>
    public NanoAgent.Host.Mqtt.MqttNetSettings? Mqtt { get; init; }

    /// <summary>Gets the device id.</summary>
    public required string Device { get; init; }

    /// <summary>Gets the tenant id.</summary>
    public required string Tenant { get; init; }

    /// <summary>Gets a value indicating whether the result is printed as JSON (docs/json.md): the envelope, after one event line per reading for <c>watch</c>.</summary>
    public bool Json { get; init; }

    /// <summary>Connects to the broker with this request's login and subscribes to <paramref name="topic"/>.</summary>
    /// <param name="topic">The topic filter the answers come on.</param>
    /// <returns>The connected client.</returns>
    private protected GateBackendClient Connect(string topic) => GateBackendClient.Connect(Broker, User, Password, Mqtt, topic);
}
