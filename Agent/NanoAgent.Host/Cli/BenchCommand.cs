using System.CommandLine;
using NanoAgent.Host.Bench;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent bench</c>: measured bus efficiency, allocations, SCP03 cost and relay throughput on virtual SEs.</summary>
public static class BenchCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var json = new Option<bool>("--json") { Description = "print the figures as JSON (docs/json.md)" };
        var quick = new Option<bool>("--quick") { Description = "few iterations and sizes (rough figures, for tests)" };
        var bench = new Command("bench", "Measure framing efficiency, implied bus time, allocations per APDU, SCP03 cost and relay throughput on virtual SEs (see docs/performance.md).");
        bench.Add(json);
        bench.Add(quick);
        bench.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            BenchReport report = BenchReport.Run(parse.GetValue(quick));
            if (parse.GetValue(json))
            {
                JsonReport.Write(output, "bench", ExitCodes.Ok, report);
            }
            else
            {
                report.WriteText(output);
            }

            return ExitCodes.Ok;
        });
        return bench;
    }
}
