using System.CommandLine;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Host.Agent;
using NanoAgent.VirtualSe.Gate;
using NanoAgent.VirtualSe.State;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Cli;

/// <summary>Builds and runs the <c>nanoagent</c> command tree.</summary>
public static class NanoAgentCli
{
    /// <summary>Builds the root command.</summary>
    /// <returns>The root command with every subcommand.</returns>
    public static RootCommand Build()
    {
        var root = new RootCommand("nanoAgent: secure-element agent for IoT boards, run on a PC against a virtual SE or real hardware.");
        root.Add(DemoCommand.Build());
        root.Add(SeCommands.Build());
        root.Add(BoardsCommand.Build());
        root.Add(DiagCommand.Build());
        root.Add(BrokerCommand.Build());
        root.Add(BenchCommand.Build());
        root.Add(BackendCommand.Build());
        root.Add(AgentCommand.Build());
        root.Add(GpCommands.Build());
        root.Add(Se05xCommands.Build());
        root.Add(Scp03Command.Build());
        root.Add(ProvisionCommand.Build());
        root.Add(RemoteCommand.Build());
        root.Add(ServeCommand.Build());
        root.Add(FleetCommand.Build());
        return root;
    }

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where normal output goes.</param>
    /// <param name="error">Where errors go.</param>
    /// <returns>The process exit code (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ParseResult parse;
        try
        {
            parse = Build().Parse(args);
        }
        catch (Exception e)
        {
            // A validator that throws is a bug too: the code promised for bugs, not a crash.
            error.WriteLine($"internal error (a bug, please report it with what follows): {e}");
            return ExitCodes.InternalError;
        }

        JsonOutput? json = WantsJson(parse, args) ? new JsonOutput(output, error) : null;
        int exit = Invoke(parse, json ?? output, json?.Error ?? error);
        json?.Finish(CommandName(parse), exit);
        return exit;
    }

    private static int Invoke(ParseResult parse, TextWriter output, TextWriter error)
    {
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            // One line, like every other usage error (no "Try --help" tail).
            error.WriteLine("error: " + string.Join("; ", parse.Errors.Select(e => OneLine(e.Message)).Distinct()));
            return ExitCodes.Usage;
        }

        try
        {
            return parse.Invoke(config);
        }
        catch (Exception e) when (IsBadFile(e))
        {
            error.WriteLine("error: " + OneLine(e.Message));
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            error.WriteLine($"internal error (a bug, please report it with what follows): {e}");
            return ExitCodes.InternalError;
        }
    }

    // --json on a command that has it; on a command line that does not parse, --json anywhere before "--".
    private static bool WantsJson(ParseResult parse, string[] args)
    {
        if (parse.Errors.Count > 0)
        {
            return args.TakeWhile(a => a != "--").Contains("--json");
        }

        // --help wins: its text is what was asked for.
        return parse.Action is not System.CommandLine.Help.HelpAction
            && parse.CommandResult.Command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--json") is { } option
            && parse.GetValue(option);
    }

    // The command as typed, without options: "se probe", "backend run".
    private static string CommandName(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }

    // The typed exceptions of the files a command reads or keeps (state, store, keys, journal): each names its file.
    private static bool IsBadFile(Exception e) =>
        e is InputFileException or CardStateException or GateStoreException or FileRelayStoreException or PlatformKeyStoreException;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
