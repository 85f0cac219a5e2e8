using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
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
        var json = new Option<bool>("--json") { Description = "print the figures as JSON" };
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
                var options = new JsonSerializerOptions { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
                output.WriteLine(JsonSerializer.Serialize(report, options));
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
