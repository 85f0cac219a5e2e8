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
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 1883 }.InRange();
        var user = new Option<string?>("--user") { Description = "require this user name" };
        var password = new Option<string?>("--password") { Description = "require this password (with --user)" };
        var duration = new Option<int>("--duration") { Description = "stop after this many seconds (0: run until Ctrl+C)" };
        var bind = new Option<string>("--bind")
        {
            Description = "IPv4 address to listen on: 127.0.0.1 (this PC only) or 0.0.0.0 (boards on the local network)",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var command = new Command("broker", "Run an embedded MQTT broker (retained messages and wills supported) until Ctrl+C.");
        command.Add(port);
        command.Add(user);
        command.Add(password);
        command.Add(duration);
        command.Add(bind);
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(user) is null != parse.GetValue(password) is null)
            {
                parse.InvocationConfiguration.Error.WriteLine("--user and --password go together");
                return ExitCodes.Usage;
            }

            if (!System.Net.IPAddress.TryParse(parse.GetValue(bind), out System.Net.IPAddress? address)
                || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                parse.InvocationConfiguration.Error.WriteLine($"--bind '{parse.GetValue(bind)}' is not an IPv4 address (e.g. 127.0.0.1 or 0.0.0.0)");
                return ExitCodes.Usage;
            }

            using var broker = new EmbeddedBroker(parse.GetValue(port), parse.GetValue(user), parse.GetValue(password)) { BindAddress = address };
            try
            {
                broker.Start();
            }
            catch (NanoAgent.Agent.Mqtt.MqttConnectionException e)
            {
                parse.InvocationConfiguration.Error.WriteLine(e.Message);
                return ExitCodes.Failed;
            }

            output.WriteLine($"broker listening on mqtt://{address}:{broker.Port}" + (parse.GetValue(user) is null ? " (anonymous)" : " (user/password required)"));
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
