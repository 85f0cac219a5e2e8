using NanoAgent.Host.Cli;

namespace NanoAgent.Host.Tests;

/// <summary>Runs the CLI in-process and captures what it prints.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = NanoAgentCli.Run(args, output, error);
        return new CliRun(exit, output.ToString(), error.ToString());
    }
}
