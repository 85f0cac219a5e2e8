using System.CommandLine;
using System.Net.Sockets;
using NanoAgent.Host.Common;
using NanoAgent.Host.Se;
using NanoAgent.Host.Serve;

namespace NanoAgent.Host.Cli;

/// <summary>
/// <c>nanoagent serve</c>: lends the SE (virtual, on a Linux bus, or a board's through <c>--via</c>) to other tools
/// through PC/SC (vsmartcard's vpcd), NXP's JRCP v1 over TCP, and the board-link framing on a serial port, one SE and
/// one lock for all of them (docs/remote-test-tool.md).
/// </summary>
public static class ServeCommand
{
    /// <summary>vsmartcard's default vpcd port (<c>VPCDPORT</c>, virtualsmartcard/src/vpcd/vpcd.h).</summary>
    public const int DefaultVpcdPort = 35963;

    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var target = new SeTargetOptions();
        var vpcd = new Option<string?>("--vpcd")
        {
            Description = $"PC/SC: connect to pcscd's vpcd reader at [HOST:]PORT (default localhost:{DefaultVpcdPort}); the default when no front end is named",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var jrcp = new Option<string?>("--jrcp")
        {
            Description = "NXP's remote terminal protocol (JRCP v1): listen on [HOST:]PORT (host default 127.0.0.1; port 0 picks a free one) for NXP's middleware (jrcpv1) and ssscli",
        };
        var serial = new Option<string?>("--serial")
        {
            Description = "the board-link framing on this serial device, as the firmware serves it (e.g. a USB serial adapter, or a pseudo-terminal)",
        };
        var command = new Command("serve", "Lend the SE to other tools until SIGTERM/Ctrl+C: a PC/SC card through vsmartcard's vpcd, NXP's remote "
            + "terminal protocol (JRCP v1) over TCP, the board-link framing on a serial port. One SE, one lock: APDUs of different clients never interleave.");
        target.AddTo(command);
        command.Add(vpcd);
        command.Add(jrcp);
        command.Add(serial);
        command.SetAction(parse =>
        {
            TextWriter error = parse.InvocationConfiguration.Error;
            ServeAddress? vpcdAt = null, jrcpAt = null;
            try
            {
                if (parse.GetResult(vpcd) is not null || (parse.GetResult(jrcp) is null && parse.GetResult(serial) is null))
                {
                    vpcdAt = ServeAddress.Parse(parse.GetValue(vpcd) ?? DefaultVpcdPort.ToString(), "localhost", allowZero: false);
                }

                if (parse.GetValue(jrcp) is { } text)
                {
                    jrcpAt = ServeAddress.Parse(text, "127.0.0.1", allowZero: true);
                    jrcpAt.ListenAddress();
                }
            }
            catch (FormatException e)
            {
                error.WriteLine(e.Message);
                return ExitCodes.Usage;
            }

            return SeCommands.WithConnection(parse, target, connection =>
                Serve(connection, vpcdAt, jrcpAt, parse.GetValue(serial), parse.InvocationConfiguration.Output, error));
        });
        return command;
    }

    private static int Serve(SeConnection connection, ServeAddress? vpcdAt, ServeAddress? jrcpAt, string? serialPath, TextWriter output, TextWriter error)
    {
        // The SE must answer before anything is offered: a tool should not find a reader with no card behind it.
        byte[] atr = connection.Transport.Open();
        var se = new ServedSe(connection);
        var log = new ServeLog(output);
        log.Line($"SE: {connection.Transport.ProtocolName} on {connection.BusDescription}, ATR/CIP {Convert.ToHexString(atr)}, PC/SC ATR {Convert.ToHexString(IsoAtr.For(connection.Transport))}");

        using var stop = new ShutdownSignal();
        JrcpServer? jrcpServer = null;
        SerialLink? serialLink = null;
        VpcdLink? vpcdLink = null;
        try
        {
            if (jrcpAt is not null)
            {
                jrcpServer = new JrcpServer(se, jrcpAt, log);
                try
                {
                    jrcpServer.Start();
                }
                catch (SocketException e)
                {
                    // A port another holds is a resource the command cannot get: exit 3 (docs/exit-codes.md).
                    error.WriteLine($"cannot start the JRCP server on {jrcpAt}: {e.Message}");
                    jrcpServer = null;
                    return ExitCodes.NoDevice;
                }

                log.Line($"JRCP: listening on {jrcpServer.Endpoint} (NXP middleware: jrcpv1 {jrcpServer.Endpoint}; ssscli connect se05x t1oi2c|jrcpv1 {jrcpServer.Endpoint})");
            }

            if (serialPath is not null)
            {
                try
                {
                    serialLink = new SerialLink(se, serialPath, log);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
                {
                    error.WriteLine($"cannot open {serialPath}: {e.Message}");
                    return ExitCodes.NoDevice;
                }

                serialLink.Start();
                log.Line($"board link: serving on {serialPath} (nanoagent se probe --via serial:<the other end>)");
            }

            if (vpcdAt is not null)
            {
                vpcdLink = new VpcdLink(se, vpcdAt, log);
                vpcdLink.Start();
                log.Line($"PC/SC: the card side of vpcd at {vpcdAt} (pcsc_scan shows the reader once pcscd runs vpcd)");
            }

            log.Line("serving until SIGTERM or Ctrl+C");
            stop.Wait(Timeout.InfiniteTimeSpan);
        }
        finally
        {
            vpcdLink?.Stop();
            jrcpServer?.Stop();
            serialLink?.Stop();
        }

        try
        {
            connection.Transport.Close();
        }
        catch (Drivers.T1.BlockProtocolException)
        {
            // Going away anyway; the SE is left to the next user.
        }

        log.Line($"serve stopped ({stop.Received})");
        return ExitCodes.Ok;
    }
}
