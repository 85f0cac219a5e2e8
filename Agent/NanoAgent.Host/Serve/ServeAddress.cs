using System.Globalization;
using System.Net;

namespace NanoAgent.Host.Serve;

/// <summary>A <c>[HOST:]PORT</c> option value of <c>serve</c>.</summary>
/// <param name="Host">The host name or address.</param>
/// <param name="Port">The TCP port.</param>
public sealed record ServeAddress(string Host, int Port)
{
    /// <summary>Parses <c>[HOST:]PORT</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="defaultHost">The host when only a port is given.</param>
    /// <param name="allowZero">Whether port 0 (a free port) is allowed.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">Not [HOST:]PORT with a port in range.</exception>
    public static ServeAddress Parse(string text, string defaultHost, bool allowZero)
    {
        int colon = text.LastIndexOf(':');
        string host = colon < 0 ? defaultHost : text[..colon];
        string port = colon < 0 ? text : text[(colon + 1)..];
        if (host.Length == 0 || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > 65535 || (value == 0 && !allowZero))
        {
            throw new FormatException($"'{text}' is not [HOST:]PORT with a TCP port {(allowZero ? "0" : "1")}..65535");
        }

        return new ServeAddress(host, value);
    }

    /// <summary>Resolves the host to a listening address: an IP address, or localhost.</summary>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">The host is neither.</exception>
    public IPAddress ListenAddress() =>
        Host == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(Host, out IPAddress? address) ? address
        : throw new FormatException($"'{Host}' is not an IP address to listen on (e.g. 127.0.0.1, or 0.0.0.0 for every interface)");

    /// <inheritdoc />
    public override string ToString() => $"{Host}:{Port}";
}
