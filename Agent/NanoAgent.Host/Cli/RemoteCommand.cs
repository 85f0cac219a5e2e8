using System.CommandLine;
using System.Net.Sockets;
using NanoAgent.Drivers.Remote;
using NanoAgent.Host.Remote;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent remote --tool host:port</c>: let a lab's test tool drive the SE over TCP (docs/remote-test-tool.md).</summary>
public static class RemoteCommand
{
    /// <summary>Builds the <c>remote</c> command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var target = new SeTargetOptions();
        var tool = new Option<string>("--tool")
        {
            Description = "host:port of the test tool (the server of the GlobalPlatform SE Abstract Communication Layer over TCP/IP)",
            Required = true,
        };
        var name = new Option<string>("--name")
        {
            Description = "client name sent to the test tool when connecting",
            DefaultValueFactory = _ => "nanoagent",
        };
        var quiet = new Option<bool>("--quiet") { Description = "do not print a line per command" };
        var remote = new Command("remote", "Act as the SE side of the GlobalPlatform SE Abstract Communication Layer over TCP/IP: "
            + "connect to a lab's test tool and serve its commands (APDUs, resets, echo, diag) from the SE until it disconnects.");
        target.AddTo(remote);
        remote.Add(tool);
        remote.Add(name);
        remote.Add(quiet);
        remote.SetAction(parse =>
        {
            TextWriter error = parse.InvocationConfiguration.Error;
            ToolAddress address;
            try
            {
                address = ToolAddress.Parse(parse.GetValue(tool) ?? string.Empty);
            }
            catch (FormatException e)
            {
                error.WriteLine(e.Message);
                return ExitCodes.Usage;
            }

            // SIGTERM or Ctrl+C ends the session between two commands: one line, exit 0, the SE closed.
            using var stop = new ShutdownSignal();
            return SeCommands.WithConnection(parse, target, connection =>
            {
                TextWriter output = parse.InvocationConfiguration.Output;
                connection.Transport.Open();
                output.WriteLine($"SE: {connection.Transport.ProtocolName} on {connection.BusDescription}; connecting to the test tool at {address}");
                int served = 0;
                try
                {
                    RemoteSessionEnd end = RemoteToolClient.Serve(address, parse.GetValue(name) ?? "nanoagent", connection,
                        parse.GetValue(quiet) ? null : output, out served, stop.Token);
                    output.WriteLine(stop.Received is not null ? Stopped(stop, served) : end == RemoteSessionEnd.Disconnected
                        ? $"The test tool sent REQ_DISCONNECT after {served} command(s)."
                        : $"The test tool closed the connection after {served} command(s).");
                    return ExitCodes.Ok;
                }
                catch (SocketException e)
                {
                    error.WriteLine($"cannot reach the test tool at {address}: {e.Message}");
                    return ExitCodes.NoDevice;
                }
                catch (Exception e) when (stop.Received is not null && e is RemoteException or OperationCanceledException)
                {
                    output.WriteLine(Stopped(stop, served));
                    return ExitCodes.Ok;
                }
                catch (RemoteException e)
                {
                    // A link that broke is a peer that cannot be reached (3); a tool that sent what cannot be followed answered wrongly (1).
                    error.WriteLine($"the session with the test tool broke after {served} command(s): {e.Message}");
                    return e.Error is RemoteError.Network or RemoteError.Truncated ? ExitCodes.NoDevice : ExitCodes.Failed;
                }
            });
        });
        return remote;
    }

    private static string Stopped(ShutdownSignal stop, int served) => $"remote stopped ({stop.Received}) after {served} command(s)";
}
