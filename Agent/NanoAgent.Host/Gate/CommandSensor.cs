using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using NanoAgent.Agent.Gating;

namespace NanoAgent.Host.Gate;

/// <summary>
/// A sensor read by running a command (<c>sensor.&lt;id&gt;.source = command …</c>, Linux hosts): the command line runs under
/// <c>/bin/sh -c</c>, and the first decimal number it prints (for example <c>cat /sys/class/thermal/thermal_zone0/temp</c>) is
/// the value, encoded like the simulated meter's: an 8-byte big-endian count of thousandths (docs/gating.md). A command that
/// fails, prints no number or runs past the timeout (it is killed) gives no reading; the reason goes to the log.
/// </summary>
public sealed partial class CommandSensor : ISensor
{
    private readonly string _commandLine;
    private readonly string _unit;
    private readonly TimeSpan _timeout;
    private readonly Action<string> _log;

    /// <summary>Creates the sensor.</summary>
    /// <param name="commandLine">The shell command line.</param>
    /// <param name="unit">The unit put in each reading.</param>
    /// <param name="timeout">How long the command may run.</param>
    /// <param name="log">Receives one line per failed reading.</param>
    public CommandSensor(string commandLine, string unit, TimeSpan timeout, Action<string> log)
    {
        _commandLine = commandLine;
        _unit = unit;
        _timeout = timeout;
        _log = log;
    }

    /// <inheritdoc />
    public Reading? Read()
    {
        HostCommandResult result = HostCommand.Run(["-c", _commandLine], _timeout);
        if (result.Failure is not null)
        {
            _log($"'{_commandLine}' {result.Failure}: no reading");
            return null;
        }

        if (!TryParseMilli(result.Output, out long milli))
        {
            _log($"'{_commandLine}' printed no number: no reading");
            return null;
        }

        byte[] value = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(value, milli);
        return new Reading(_unit, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), value);
    }

    /// <summary>Finds the first decimal number in a command's output and returns it in thousandths (rounded half away from zero).</summary>
    /// <param name="output">The output.</param>
    /// <param name="milli">The value in thousandths.</param>
    /// <returns>False when there is no number or it does not fit.</returns>
    public static bool TryParseMilli(string output, out long milli)
    {
        milli = 0;
        Match m = Number().Match(output);
        if (!m.Success || !decimal.TryParse(m.Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
        {
            return false;
        }

        decimal scaled = Math.Round(value * 1000m, MidpointRounding.AwayFromZero);
        if (scaled < long.MinValue || scaled > long.MaxValue)
        {
            return false;
        }

        milli = (long)scaled;
        return true;
    }

    [GeneratedRegex(@"[-+]?[0-9]{1,24}(\.[0-9]{1,24})?")]
    private static partial Regex Number();
}
