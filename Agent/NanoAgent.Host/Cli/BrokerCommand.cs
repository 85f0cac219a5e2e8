using System.CommandLine;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent broker</c>: an embedded MQTT broker for a field engineer's laptop.</summary>
public static class BrokerCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 1883 };
        var user = new Option<string?>("--user") { Description = "require this user name" };
        var password = new Option<string?>("--password") { Description = "require this password (with --user)" };
        var duration = new Option<int>("--duration") { Description = "stop after this many seconds (0: run until Ctrl+C)" };
        var command = new Command("broker", "Run an embedded MQTT broker (retained messages and wills supported) until Ctrl+C.");
        command.Add(port);
        command.Add(user);
        command.Add(password);
        command.Add(duration);
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(user) is null != parse.GetValue(password) is null)
            {
                parse.InvocationConfiguration.Error.WriteLine("--user and --password go together");
                return ExitCodes.Usage;
            }

            using var broker = new EmbeddedBroker(parse.GetValue(port), parse.GetValue(user), parse.GetValue(password));
            try
            {
                broker.Start();
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"cannot start the broker on port {parse.GetValue(port)}: {e.Message}");
                return ExitCodes.Failed;
            }

            output.WriteLine($"broker listening on mqtt://127.0.0.1:{broker.Port}" + (parse.GetValue(user) is null ? " (anonymous)" : " (user/password required)"));
            output.Flush();
            using var stop = new ManualResetEventSlim();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                stop.Set();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                int seconds = parse.GetValue(duration);
                stop.Wait(seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }

            output.WriteLine("broker stopped");
            return ExitCodes.Ok;
        });
        return command;
    }
}
