using System.CommandLine;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent backend watch</c> and <c>backend actuate</c>: a tenant backend's side of gated data (docs/gating.md).</summary>
public static class BackendGateCommands
{
    /// <summary>Adds the subcommands to the <c>backend</c> group.</summary>
    /// <param name="group">The group.</param>
    public static void AddTo(Command group)
    {
        group.Add(BuildWatch());
        group.Add(BuildActuate());
        group.Add(BuildAttest());
    }

    private static Command BuildAttest()
    {
        var c = new Common();
        var sensor = new Option<string>("--sensor") { Description = "the attested sensor's id (sensor.<id>.source = attested ... in the agent's gates file)", Required = true };
        var publicKey = new Option<string>("--public-key") { Description = "the tenant's attestation key's public part (04||X||Y, hex), as ReadObject of its key pair gives it", Required = true };
        var timeout = new Option<int>("--timeout") { Description = "seconds to wait for the agent's answer", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "print the verdict as JSON (docs/json.md)" };
        var command = new Command("attest", "Ask for a read of a sensor behind the SE05x, signed by the SE over fresh random freshness, and verify it (docs/se05x.md). Exit 0 attested, 1 rejected, 3 broker unreachable or no answer.");
        foreach (Option option in new Option[] { c.Broker, c.User, c.Password, c.Device, c.Tenant, sensor, publicKey, timeout, json })
        {
            command.Add(option);
        }

        c.Tls.AddTo(command);
        command.SetAction(parse => !c.Tls.TryRead(parse, out NanoAgent.Host.Mqtt.MqttNetSettings? mqtt, TimeSpan.FromSeconds(5)) || !c.Tls.TryReadPassword(parse, c.Password, out string? secret) ? ExitCodes.Usage : new GateAttestRequest
        {
            Mqtt = mqtt,
            Broker = parse.GetValue(c.Broker)!,
            User = parse.GetValue(c.User),
            Password = secret,
            Device = parse.GetValue(c.Device)!,
            Tenant = parse.GetValue(c.Tenant)!,
            Sensor = parse.GetValue(sensor)!,
            PublicKeyPath = parse.GetValue(publicKey)!,
            Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
            Json = parse.GetValue(json),
        }.Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static Command BuildWatch()
    {
        var c = new Common();
        var macKey = new Option<string?>("--mac-key-file") { Description = "the gate's AES-128 MAC key: hex in a file, mode 600" };
        var publicKey = new Option<string?>("--public-key") { Description = "for ECDSA-signed readings: the gate's public key (04||X||Y, hex) from GET DATA 7F49" };
        var count = new Option<int?>("--count") { Description = "stop after this many readings" };
        var duration = new Option<double?>("--duration") { Description = "stop after this many seconds" };
        var json = new Option<bool>("--json") { Description = "JSON Lines: one object per reading, then the envelope with the counts (docs/json.md)" };
        var state = new Option<string?>("--state") { Description = "counter state file (last verified counter); default ~/.nanoagent/gate-<device>-<tenant>-readings.counter" };
        var command = new Command("watch", "Verify a tenant's SE-signed readings as they arrive: VERIFIED or REJECTED (with the reason) per reading. Exit 0 all verified, 1 any rejected, 3 broker unreachable.");
        c.AddTo(command);
        foreach (Option option in new Option[] { macKey, publicKey, count, duration, json, state })
        {
            command.Add(option);
        }

        command.SetAction(parse => !c.Tls.TryRead(parse, out NanoAgent.Host.Mqtt.MqttNetSettings? mqtt, TimeSpan.FromSeconds(5)) || !c.Tls.TryReadPassword(parse, c.Password, out string? secret) ? ExitCodes.Usage : Watch(new GateWatchRequest
        {
            Mqtt = mqtt,
            Broker = parse.GetValue(c.Broker)!,
            User = parse.GetValue(c.User),
            Password = secret,
            Device = parse.GetValue(c.Device)!,
            Tenant = parse.GetValue(c.Tenant)!,
            Gate = parse.GetValue(c.Gate)!,
            MacKeyPath = parse.GetValue(macKey),
            PublicKeyPath = parse.GetValue(publicKey),
            Count = parse.GetValue(count),
            DurationSeconds = parse.GetValue(duration),
            Json = parse.GetValue(json),
            StatePath = parse.GetValue(state),
            Card = Common.CardOf(parse.GetValue(c.Card)),
        }, parse));
        return command;
    }

    // Without --count or --duration the watch runs until stopped: SIGTERM or Ctrl+C end it with its summary line.
    private static int Watch(GateWatchRequest request, ParseResult parse)
    {
        using var stop = new ShutdownSignal();
        return request.Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, stop.Token);
    }

    private static Command BuildActuate()
    {
        var c = new Common();
        var macKey = new Option<string>("--mac-key-file") { Description = "the gate's AES-128 MAC key: hex in a file, mode 600", Required = true };
        var actuator = new Option<string>("--actuator") { Description = "the actuator id, e.g. relay", Required = true };
        var cmd = new Option<string>("--command") { Description = "the command bytes in hex, e.g. 01", Required = true };
        var counter = new Option<string?>("--counter-file") { Description = "command counter file; default ~/.nanoagent/gate-<device>-<tenant>-commands.counter" };
        var timeout = new Option<int>("--timeout") { Description = "seconds to wait for the agent's answer; the request is sent again, same bytes, every 5 s meanwhile and after a broker reconnect", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "print the answer as JSON (docs/json.md)" };
        var command = new Command("actuate", "Send a MAC'd command to an actuator through the agent and print its answer. Exit 0 applied, 1 refused, 3 broker unreachable or no answer.");
        c.AddTo(command);
        foreach (Option option in new Option[] { macKey, actuator, cmd, counter, timeout, json })
        {
            command.Add(option);
        }

        command.SetAction(parse => !c.Tls.TryRead(parse, out NanoAgent.Host.Mqtt.MqttNetSettings? mqtt, TimeSpan.FromSeconds(5)) || !c.Tls.TryReadPassword(parse, c.Password, out string? secret) ? ExitCodes.Usage : new GateActuateRequest
        {
            Mqtt = mqtt,
            Broker = parse.GetValue(c.Broker)!,
            User = parse.GetValue(c.User),
            Password = secret,
            Device = parse.GetValue(c.Device)!,
            Tenant = parse.GetValue(c.Tenant)!,
            Gate = parse.GetValue(c.Gate)!,
            MacKeyPath = parse.GetValue(macKey)!,
            Actuator = parse.GetValue(actuator)!,
            Command = parse.GetValue(cmd)!,
            CounterPath = parse.GetValue(counter),
            Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
            Json = parse.GetValue(json),
            Card = Common.CardOf(parse.GetValue(c.Card)),
        }.Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private sealed class Common
    {
        public Option<string> Broker { get; } = new("--broker") { Description = "MQTT broker, mqtt://host:port or mqtts://host:port", DefaultValueFactory = _ => "mqtt://127.0.0.1:1883" };

        public Option<string?> User { get; } = new("--user") { Description = "broker user name" };

        public Option<string?> Password { get; } = new("--password") { Description = "broker password" };

        public Option<string> Device { get; } = new("--device") { Description = "the device id", Required = true };

        public Option<string> Tenant { get; } = new("--tenant") { Description = "the tenant id", Required = true };

        public BrokerClientOptions Tls { get; } = new();

        public Option<string> Gate { get; } = new("--gate") { Description = "the tenant's gate instance AID in hex, e.g. F06E616E6F47410A (SE05x: the gate label of the gates file)", Required = true };

        public Option<string> Card { get; } = new("--card")
        {
            Description = "the card holding the gate: gp (nanoAgent's gate applet) or se05x (NXP's IoT applet: counter-first MAC input; the key file is the reading key for watch, the command key for actuate)",
            DefaultValueFactory = _ => "gp",
        };

        public static NanoAgent.Agent.Gating.GateCard CardOf(string? card) =>
            card == "se05x" ? NanoAgent.Agent.Gating.GateCard.Se05x : NanoAgent.Agent.Gating.GateCard.GateApplet;

        public void AddTo(Command command)
        {
            foreach (Option option in new Option[] { Broker, User, Password, Device, Tenant, Gate, Card })
            {
                command.Add(option);
            }

            Card.AcceptOnlyFromAmong("gp", "se05x");
            Tls.AddTo(command);
        }
    }
}
