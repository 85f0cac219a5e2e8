using System.CommandLine;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Host.Bus;
using NanoAgent.Drivers.T1;
using NanoAgent.Host.Diag;
using NanoAgent.Host.Se;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent se probe|apdu</c>: find the SE and talk to it one APDU at a time.</summary>
public static class SeCommands
{
    /// <summary>Builds the <c>se</c> command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var se = new Command("se", "Talk to the secure element: probe it, send APDUs.");
        se.Add(BuildProbe());
        se.Add(BuildApdu());
        return se;
    }

    private static Command BuildProbe()
    {
        var target = new SeTargetOptions();
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var probe = new Command("probe", "Find the SE on its bus, read its ATR/CIP, select the ISD, read CPLC and card data.");
        target.AddTo(probe);
        probe.Add(json);
        probe.SetAction(parse => WithConnection(parse, target, connection =>
        {
            ProbeReport report = SeProbe.Run(connection);
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                JsonReport.Write(output, "se probe", report.ExitCode,
                    new { report.Passed, Facts = report.Facts.Select(f => new { Label = f.Key, f.Value }), report.Problems });
            }
            else
            {
                int width = report.Facts.Count == 0 ? 0 : report.Facts.Max(f => f.Key.Length);
                foreach (var fact in report.Facts)
                {
                    output.WriteLine($"{fact.Key.PadRight(width)}  {fact.Value}");
                }

                foreach (string problem in report.Problems)
                {
                    output.WriteLine("PROBLEM: " + problem);
                }

                output.WriteLine(report.Passed ? "Result: PASS" : "Result: FAIL");
            }

            return report.ExitCode;
        }));
        return probe;
    }

    private static Command BuildApdu()
    {
        var target = new SeTargetOptions();
        var apdus = new Argument<string[]>("apdu") { Description = "command APDUs in hex, sent in order (spaces and colons allowed inside quotes)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "print the exchanges as JSON (docs/json.md)" };
        var apdu = new Command("apdu", "Send APDUs to the SE and print each response with its status word's meaning. GET RESPONSE (61xx) and 6Cxx are handled.");
        target.AddTo(apdu);
        apdu.Add(apdus);
        apdu.Add(json);
        apdu.SetAction(parse =>
        {
            // Every APDU is checked before the SE is opened: a typo is a usage error, not a failure the SE answered.
            var commands = new List<byte[]>();
            foreach (string text in parse.GetValue(apdus) ?? [])
            {
                string hex = text.Replace(" ", string.Empty).Replace(":", string.Empty);
                byte[] command;
                try
                {
                    command = Convert.FromHexString(hex);
                }
                catch (FormatException)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"'{text}' is not hex");
                    return ExitCodes.Usage;
                }

                ApduError malformed = CommandApduView.TryParse(command, 0, command.Length, out _);
                if (malformed != 0)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"'{text}' is not a command APDU ({malformed}): ISO/IEC 7816-4 §5.1 wants CLA INS P1 P2 [Lc data] [Le]");
                    return ExitCodes.Usage;
                }

                commands.Add(command);
            }

            return WithConnection(parse, target, connection => Send(parse, connection, commands, parse.GetValue(json)));
        });
        return apdu;
    }

    private static int Send(ParseResult parse, SeConnection connection, List<byte[]> commands, bool json)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        connection.Transport.Open();
        int exit = ExitCodes.Ok;
        var exchanges = new List<object>();
        foreach (byte[] command in commands)
        {
            output.WriteLine("> " + Convert.ToHexString(command));
            byte[] response;
            try
            {
                response = connection.Send(command);
            }
            catch (ApduException e)
            {
                output.WriteLine("  " + e.Message);
                exchanges.Add(new { Command = Convert.ToHexString(command), Data = (string?)null, Sw = (string?)null, Meaning = (string?)null, Ok = false, Error = e.Message });
                exit = ExitCodes.Failed;
                continue;
            }

            ushort sw = StatusWord.Read(response, 0, response.Length);
            if (response.Length > 2)
            {
                output.WriteLine("< " + Convert.ToHexString(response, 0, response.Length - 2));
            }

            output.WriteLine("< " + StatusWordText.Describe(sw));
            bool ok = StatusWord.IsSuccess(sw) || StatusWord.IsWarning(sw);
            if (!ok)
            {
                exit = ExitCodes.Failed;
            }

            exchanges.Add(new
            {
                Command = Convert.ToHexString(command), Data = Convert.ToHexString(response, 0, response.Length - 2), Sw = sw.ToString("X4"),
                Meaning = StatusWordText.Meaning(sw), Ok = ok, Error = (string?)null,
            });
        }

        connection.Transport.Close();
        if (json)
        {
            JsonReport.Write(output, "se apdu", exit, new { Exchanges = exchanges });
        }

        return exit;
    }

    /// <summary>Opens the connection a command names, runs the body, and maps link failures to exit codes and plain words.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="target">The target options.</param>
    /// <param name="body">What to do with the connection.</param>
    /// <returns>The exit code.</returns>
    internal static int WithConnection(ParseResult parse, SeTargetOptions target, Func<SeConnection, int> body)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        SeTarget where;
        try
        {
            where = target.Read(parse);
        }
        catch (FormatException e)
        {
            error.WriteLine(e.Message);
            return ExitCodes.Usage;
        }

        SeConnection connection;
        FrameTraceWriter? trace;
        try
        {
            trace = target.Trace.Open(parse, where.EffectiveProtocol, where.IsSpi);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"cannot write the trace file: {e.Message}");
            return ExitCodes.Usage;
        }

        using var traceScope = trace;
        try
        {
            connection = SeConnection.Create(where, trace);
        }
        catch (ArgumentException e)
        {
            error.WriteLine(e.Message);
            return ExitCodes.Usage;
        }
        catch (HostBusException e)
        {
            error.WriteLine(e.Message);
            return e.Error == HostBusError.InvalidBusName ? ExitCodes.Usage : ExitCodes.NoDevice;
        }

        using (connection)
        {
            try
            {
                return body(connection);
            }
            catch (BlockProtocolException e)
            {
                error.WriteLine(SeProbe.Explain(e, connection.BusDescription));
                return ExitCodes.NoDevice;
            }
        }
    }
}
