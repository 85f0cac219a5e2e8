using NanoAgent.Host.Cli;

namespace NanoAgent.Host;

internal static class Program
{
    private static int Main(string[] args) => NanoAgentCli.Run(args, Console.Out, Console.Error);
}
