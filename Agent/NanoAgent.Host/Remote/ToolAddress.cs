using System.Globalization;

namespace NanoAgent.Host.Remote;

/// <summary>Where a lab's test tool listens: host name or IP address, and TCP port.</summary>
/// <param name="Host">The host name or address.</param>
/// <param name="Port">The TCP port.</param>
public sealed record ToolAddress(string Host, int Port)
{
    /// <summary>Parses <c>host:port</c> (IPv6 addresses in brackets: <c>[::1]:5000</c>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">The text is not host:port with a port from 1 to 65535.</exception>
    public static ToolAddress Parse(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new FormatException($"'{text}' is not host:port");
        }

        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < 1 || port > 65535)
        {
            throw new FormatException($"'{text}' has no valid port: use 1 to 65535");
        }

        return new ToolAddress(host, port);
    }

    /// <inheritdoc />
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
