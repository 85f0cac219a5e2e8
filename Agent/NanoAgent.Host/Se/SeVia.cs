using System.Globalization;

namespace NanoAgent.Host.Se;

/// <summary>
/// Where a lent SE is reached (<c>--via</c>): <c>serial:PATH</c>, a board's serial link, or <c>jrcp:HOST:PORT</c>,
/// <c>nanoagent serve --jrcp</c> (both speak JRCP v1, docs/remote-test-tool.md).
/// </summary>
public sealed class SeVia
{
    private SeVia(string? serialPath, string? host, int port)
    {
        SerialPath = serialPath;
        Host = host;
        Port = port;
    }

    /// <summary>Gets the serial device, or null for a TCP lender.</summary>
    public string? SerialPath { get; }

    /// <summary>Gets the TCP host, or null for a serial lender.</summary>
    public string? Host { get; }

    /// <summary>Gets the TCP port.</summary>
    public int Port { get; }

    /// <summary>Parses <c>serial:PATH</c> or <c>jrcp:HOST:PORT</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The lender.</returns>
    /// <exception cref="FormatException">Neither form.</exception>
    public static SeVia Parse(string text)
    {
        if (text.StartsWith("serial:", StringComparison.Ordinal) && text.Length > "serial:".Length)
        {
            return new SeVia(text["serial:".Length..], null, 0);
        }

        if (text.StartsWith("jrcp:", StringComparison.Ordinal))
        {
            string rest = text["jrcp:".Length..];
            int colon = rest.LastIndexOf(':');
            if (colon > 0 && int.TryParse(rest.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535)
            {
                return new SeVia(null, rest[..colon], port);
            }
        }

        throw new FormatException($"--via '{text}' is neither serial:PATH (a board's serial link, e.g. serial:/dev/ttyACM0) nor jrcp:HOST:PORT");
    }

    /// <inheritdoc />
    public override string ToString() => SerialPath is not null ? "board link " + SerialPath : $"JRCP {Host}:{Port}";
}
