namespace NanoAgent.Host.Mqtt;

/// <summary>Transport settings for <see cref="MqttNetConnection"/> that the portable connect options do not carry.</summary>
public sealed class MqttNetSettings
{
    /// <summary>Gets or sets how long connect, subscribe, publish and disconnect may take before they fail.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets a PEM or DER file with the CA certificate that signed the broker's certificate (TLS only), or null for the system store.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>Gets or sets a value indicating whether any broker certificate is accepted (TLS only; for lab brokers, never in production).</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>Gets or sets a PEM file with this client's certificate, for brokers that authenticate clients by certificate (TLS only), or null.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>Gets or sets the PEM file with the private key of <see cref="ClientCertificateFile"/> (null: the key is in the certificate file).</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether to speak MQTT 5 first (the default; a broker that refuses 5 gets MQTT 3.1.1).
    /// False speaks MQTT 3.1.1 only.
    /// </summary>
    public bool Mqtt5 { get; set; } = true;

    /// <summary>Gets or sets the TLS server name (SNI and certificate name check), or null to use the broker host.</summary>
    public string? TlsServerName { get; set; }
}
