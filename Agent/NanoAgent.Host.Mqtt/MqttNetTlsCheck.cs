namespace NanoAgent.Host.Mqtt;

/// <summary>What the last TLS handshake of a <see cref="MqttNetConnection"/> found, so a failure can say which side refused.</summary>
internal sealed class MqttNetTlsCheck
{
    /// <summary>Gets or sets why this client rejected the broker's certificate, or null.</summary>
    public string? Rejection { get; set; }

    /// <summary>Gets or sets a value indicating whether this client accepted the broker's certificate.</summary>
    public bool ServerAccepted { get; set; }

    /// <summary>Clears the findings before a connect.</summary>
    public void Reset()
    {
        Rejection = null;
        ServerAccepted = false;
    }
}
