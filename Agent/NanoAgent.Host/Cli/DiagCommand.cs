using System.CommandLine;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Drivers.Host.Bus;
using NanoAgent.Host.Diag;
using NanoAgent.Host.Se;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent diag</c>: check the wiring to the SE and say what is wrong in plain words.</summary>
public static class DiagCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var target = new SeTargetOptions();
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var echo = new Option<int>("--echo") { Description = "APDU round trips in the echo loop", DefaultValueFactory = _ => 10 };
        var sweep = new Option<bool>("--sweep") { Description = "try each bus speed (100, 400, 1000 kHz) where the bus can change speed" };
        var fault = new Option<string>("--fault")
        {
            Description = "virtual SE only: inject a fault to see its diagnosis",
            DefaultValueFactory = _ => "none",
        };
        var html = new Option<string?>("--html")
        {
            Description = "also write the wiring report a lab files to this file: one self-contained HTML page with the diagnosis, bus scan, round-trip times per bus speed and the frame timeline (runs the speed sweep where the bus can change speed)",
        };
        fault.AcceptOnlyFromAmong(DiagRunner.Faults);
        echo.Validators.Add(r =>
        {
            // A value that is not a number already has the parser's own error.
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out int n) && n is < 1 or > 10000)
            {
                r.AddError("--echo must be between 1 and 10000");
            }
        });

        var diag = new Command("diag", "Check the wiring to the SE: bus scan, ATR/CIP, soft reset, APDU echo with round-trip times, optional speed sweep.");
        target.AddTo(diag);
        diag.Add(json);
        diag.Add(echo);
        diag.Add(sweep);
        diag.Add(fault);
        diag.Add(html);
        diag.SetAction(parse => Run(parse, target, parse.GetValue(json), new WiringDiagnosticsOptions
        {
            EchoCount = parse.GetValue(echo),
            Sweep = parse.GetValue(sweep) || parse.GetValue(html) is not null,
        }, parse.GetValue(fault) ?? "none", parse.GetValue(html)));
        return diag;
    }

    private static int Run(ParseResult parse, SeTargetOptions targetOptions, bool json, WiringDiagnosticsOptions options, string fault, string? htmlPath)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        SeTarget target;
        FrameTraceWriter? trace;
        FrameTimeline? timeline = null;
        try
        {
            target = targetOptions.Read(parse);
            if (target.IsSpi && target.EffectiveProtocol == "se05x")
            {
                error.WriteLine("the SE05x T=1oI2C protocol runs on I2C only: drop --spi or use --protocol gp");
                return ExitCodes.Usage;
            }

            if (htmlPath is not null)
            {
                timeline = new FrameTimeline(target.EffectiveProtocol);
            }

            trace = targetOptions.Trace.Open(parse, target.EffectiveProtocol, target.IsSpi, timeline);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine(e.Message);
            return ExitCodes.Usage;
        }

        using FileStream? htmlFile = htmlPath is null ? null : DiagHtmlFile.Create(htmlPath, error);
        if (htmlPath is not null && htmlFile is null)
        {
            trace?.Dispose();
            return ExitCodes.Usage;
        }

        var notes = new List<string>();
        DiagnosticReport report;
        using (trace)
        {
            try
            {
                report = DiagRunner.Run(target, options, fault, trace, notes, timeline);
            }
            catch (HostBusException e)
            {
                error.WriteLine(e.Message);
                if (htmlFile is not null)
                {
                    htmlFile.Dispose();
                    File.Delete(htmlPath!); // no report without a bus: the message above says why
                }

                return ExitCodes.NoDevice;
            }
        }

        int exit = ExitCode(report);
        if (htmlFile is not null)
        {
            DiagHtmlFile.Write(htmlFile, new DiagHtmlInput(report, notes, exit, options, timeline, DiagHtmlFile.Describe(target), DateTimeOffset.UtcNow));
        }

        if (json)
        {
            JsonReport.Write(output, "diag", exit, DiagJson.Data(report, notes));
        }
        else
        {
            foreach (string note in notes)
            {
                output.WriteLine("NOTE  " + note);
            }

            for (int i = 0; i < report.Count; i++)
            {
                DiagnosticFinding f = report[i];
                output.WriteLine($"{DiagText.Label(f.Severity),-5} {f.Check,-8} {f.Message}");
            }

            if (htmlPath is not null)
            {
                output.WriteLine("Report: " + htmlPath);
            }

            output.WriteLine(report.Passed ? "Result: PASS" : "Result: FAIL");
        }

        return exit;
    }

    /// <summary>
    /// Maps a report to an exit code by the written rule (docs/exit-codes.md): 0 when it passed; 3 when nothing answers at
    /// the address (<see cref="IsNoAnswer"/>: the SE cannot be reached); 1 when something answers, but wrongly.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <returns>The exit code.</returns>
    public static int ExitCode(DiagnosticReport report)
    {
        if (report.Passed)
        {
            return ExitCodes.Ok;
        }

        for (int i = 0; i < report.Count; i++)
        {
            if (report[i].Severity == DiagnosticSeverity.Fail && IsNoAnswer(report[i].Code))
            {
                return ExitCodes.NoDevice;
            }
        }

        return ExitCodes.Failed;
    }

    /// <summary>Tells whether a diagnosis means nothing answers at the SE's address (exit 3) rather than a wrong answer (exit 1).</summary>
    /// <param name="code">The diagnosis.</param>
    /// <returns>True for no ACK, a device at another address only, NACKs for ever and a bus line held low.</returns>
    public static bool IsNoAnswer(DiagnosticCode code) =>
        code is DiagnosticCode.NoAck or DiagnosticCode.WrongAddress or DiagnosticCode.StuckNack or DiagnosticCode.BusStuck;
}
