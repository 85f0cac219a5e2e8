using System.Globalization;

namespace NanoAgent.Host.Mqtt;

/// <summary>
/// A broker address written as <c>mqtt://host:port</c> (plain TCP, default port 1883) or <c>mqtts://host:port</c>
/// (TLS, default port 8883); a bare <c>host</c> or <c>host:port</c> means plain TCP. IPv6 literals go in brackets.
/// </summary>
public sealed class MqttBrokerAddress
{
    /// <summary>The IANA port for MQTT over TCP.</summary>
    public const int DefaultPort = 1883;

    /// <summary>The IANA port for MQTT over TLS.</summary>
    public const int DefaultTlsPort = 8883;

    /// <summary>Creates an address.</summary>
    /// <param name="host">Host name or IP literal (without brackets).</param>
    /// <param name="port">TCP port, 1..65535.</param>
    /// <param name="useTls">Whether to speak TLS.</param>
    /// <exception cref="ArgumentException">The host is empty or the port is out of range.</exception>
    public MqttBrokerAddress(string host, int port, bool useTls)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new ArgumentException("the broker host is empty", nameof(host));
        }

        if (port is < 1 or > 65535)
        {
            throw new ArgumentException($"broker port {port} is outside 1..65535", nameof(port));
        }

        Host = host;
        Port = port;
        UseTls = useTls;
    }

    /// <summary>Gets the host name or IP literal.</summary>
    public string Host { get; }

    /// <summary>Gets the TCP port.</summary>
    public int Port { get; }

    /// <summary>Gets a value indicating whether the connection uses TLS.</summary>
    public bool UseTls { get; }

    /// <summary>Parses an address.</summary>
    /// <param name="text">The address text.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">The text is not a broker address; the message says why.</exception>
    public static MqttBrokerAddress Parse(string text)
    {
        if (!TryParse(text, out MqttBrokerAddress? address, out string error))
        {
            throw new FormatException($"'{text}' is not a broker address: {error} (expected mqtt://host:port or mqtts://host:port)");
        }

        return address!;
    }

    /// <summary>Tries to parse an address.</summary>
    /// <param name="text">The address text.</param>
    /// <param name="address">The address, or null.</param>
    /// <returns>True if it parsed.</returns>
    public static bool TryParse(string? text, out MqttBrokerAddress? address) => TryParse(text, out address, out _);

    private static bool TryParse(string? text, out MqttBrokerAddress? address, out string error)
    {
        address = null;
        string rest = (text ?? string.Empty).Trim();
        bool tls = false;
        int scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            string name = rest[..scheme].ToLowerInvariant();
            if (name is "mqtts" or "ssl" or "tls")
            {
                tls = true;
            }
            else if (name is not ("mqtt" or "tcp"))
            {
                error = $"unknown scheme '{name}'";
                return false;
            }

            rest = rest[(scheme + 3)..];
        }

        if (rest.EndsWith('/'))
        {
            rest = rest[..^1];
        }

        string host;
        string? portText = null;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']');
            if (close < 0)
            {
                error = "unclosed '[' in IPv6 address";
                return false;
            }

            host = rest[1..close];
            string after = rest[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    error = "unexpected text after ']'";
                    return false;
                }

                portText = after[1..];
            }
        }
        else
        {
            int colon = rest.LastIndexOf(':');
            host = colon >= 0 ? rest[..colon] : rest;
            portText = colon >= 0 ? rest[(colon + 1)..] : null;
        }

        bool bracketed = rest.StartsWith('[');
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '[' or ']' or '@' || (c == ':' && !bracketed)))
        {
            error = "missing or invalid host";
            return false;
        }

        int port = tls ? DefaultTlsPort : DefaultPort;
        if (portText != null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            error = $"port '{portText}' is not a number in 1..65535";
            return false;
        }

        error = string.Empty;
        address = new MqttBrokerAddress(host, port, tls);
        return true;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        string host = Host.Contains(':') ? $"[{Host}]" : Host;
        return $"{(UseTls ? "mqtts" : "mqtt")}://{host}:{Port}";
    }

    /// <summary>Gets the address as <c>host:port</c>, for messages.</summary>
    public string Endpoint => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
