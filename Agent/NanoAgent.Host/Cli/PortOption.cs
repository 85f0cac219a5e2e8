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
        option.Validators.Add(result => Check(result, result.GetValueOrDefault<int>()));
        return option;
    }

    /// <summary>Adds the range check to an optional port option.</summary>
    /// <param name="option">The option.</param>
    /// <returns>The same option.</returns>
    public static Option<int?> InRange(this Option<int?> option)
    {
        option.Validators.Add(result => Check(result, result.GetValueOrDefault<int?>()));
        return option;
    }

    private static void Check(System.CommandLine.Parsing.OptionResult result, int? port)
    {
        if (port is < 0 or > 65535)
        {
            result.AddError($"{result.Option.Name} {port} is not a TCP port: use 0..65535 (0: a free port)");
        }
    }
}
