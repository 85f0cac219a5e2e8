using System.CommandLine;

namespace NanoAgent.Host.Cli;

/// <summary>Refuses a TCP port outside 0..65535 at parse time, so it is a usage error (exit 2) like any bad option.</summary>
public static class PortOption
{
    /// <summary>Adds the range check to a port option.</summary>
    /// <param name="option">The option.</param>
    /// <returns>The same option.</returns>
    public static Option<int> InRange(this Option<int> option)
    {
        option.Validators.Add(Check);
        return option;
    }

    /// <summary>Adds the range check to an optional port option.</summary>
    /// <param name="option">The option.</param>
    /// <returns>The same option.</returns>
    public static Option<int?> InRange(this Option<int?> option)
    {
        option.Validators.Add(Check);
        return option;
    }

    // Only a value typed as a number is checked: one that is not a number already has the parser's own error, and the
    // default is in range.
    private static void Check(System.CommandLine.Parsing.OptionResult result)
    {
        if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out int port)
            && port is < 0 or > 65535)
        {
            result.AddError($"{result.Option.Name} {port} is not a TCP port: use 0..65535 (0: a free port)");
        }
    }
}
