using System.CommandLine;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Common;
using NanoAgent.Host.Fleet;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent fleet simulate</c>: many simulated devices in one process, for tests and benchmarks (docs/fleet.md).</summary>
public static class FleetCommand
{
    /// <summary>Builds the command group.</summary>
    /// <returns>The <c>fleet</c> command.</returns>
    public static Command Build()
    {
        var group = new Command("fleet", "Simulated fleets for tests and benchmarks (docs/fleet.md).");
        group.Add(BuildSimulate());
        return group;
    }

    private static Command BuildSimulate()
    {
        var devices = new Option<int>("--devices") { Description = "how many devices", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "device id prefix (ids are PREFIX0001, PREFIX0002, ...)", DefaultValueFactory = _ => "sim-" };
        var first = new Option<int>("--first") { Description = "the first device number", DefaultValueFactory = _ => 1 };
        var tenant = new Option<string>("--tenant") { Description = "the tenant every device serves", Required = true };
        var sd = new Option<string>("--sd") { Description = "the tenant's SD AID in hex, installed on every device", DefaultValueFactory = _ => FleetScripts.DefaultSd };
        var channel = new Option<int>("--channel") { Description = "the tenant's logical channel" };
        var keys = new Option<string?>("--keys") { Description = "the tenant's SCP03 key file, put on every device's SD" };
        var masterKey = new Option<string?>("--master-key") { Description = "instead of --keys, give each device's SD its own keys: " + MasterKeyOption.Help };
        var kvn = new Option<string?>("--kvn") { Description = "the key version of the devices' key sets, hex (for a pkcs11: --master-key)" };
        var requestKey = new Option<string>("--request-key") { Description = "the tenant's request key file (KVN 60-6F), put on every device's SD", Required = true };
        var broker = new Option<string?>("--broker") { Description = "MQTT broker, mqtt://host:port (default mqtt://127.0.0.1:1883)" };
        var embedded = new Option<int?>("--embedded-broker") { Description = "start an embedded broker on this port (0 = any free port) instead" }.InRange();
        var secret = new Option<string?>("--device-secret-file") { Description = "devices log in as their id with password HMAC-SHA256(secret, id), first 32 hex digits" };
        var seconds = new Option<int>("--seconds") { Description = "stop after this many seconds (default: on SIGTERM/SIGINT)" };
        var latency = new Option<int>("--se-latency-ms") { Description = "how long each SE command takes, in ms (a real SE05x: a few to tens of ms; default 0)" };
        var summary = new Option<string?>("--summary") { Description = "write what reached each device's SE to this JSON file at the end" };
        var tls = new BrokerClientOptions();
        var command = new Command("simulate", "Run N devices, each with its own virtual SE, relay store and broker login, until SIGTERM/SIGINT.");
        foreach (Option o in new Option[] { devices, prefix, first, tenant, sd, channel, keys, masterKey, kvn, requestKey, broker, embedded, secret, seconds, latency, summary })
        {
            command.Add(o);
        }

        tls.AddTo(command);
        command.SetAction(parse =>
        {
            if (!tls.TryRead(parse, out MqttNetSettings? mqtt))
            {
                return ExitCodes.Usage;
            }

            if (parse.GetValue(broker) is not null && parse.GetValue(embedded) is not null)
            {
                parse.InvocationConfiguration.Error.WriteLine("give either --broker or --embedded-broker");
                return ExitCodes.Usage;
            }

            byte? version = null;
            if (parse.GetValue(kvn) is { } hex)
            {
                if (!byte.TryParse(hex, System.Globalization.NumberStyles.HexNumber, null, out byte v) || v is 0 or > 0x7F)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"error: --kvn is an SCP03 key version in hex, 01 to 7F, not '{hex}'");
                    return ExitCodes.Usage;
                }

                version = v;
            }

            using var stop = new ShutdownSignal();
            int s = parse.GetValue(seconds);
            return new FleetSimulateRequest
            {
                Devices = parse.GetValue(devices), Prefix = parse.GetValue(prefix)!, First = parse.GetValue(first), Tenant = parse.GetValue(tenant)!,
                Sd = parse.GetValue(sd)!, Channel = parse.GetValue(channel), KeysPath = parse.GetValue(keys), MasterKey = parse.GetValue(masterKey), KeyVersion = version, RequestKeyPath = parse.GetValue(requestKey)!,
                Broker = parse.GetValue(broker), EmbeddedBrokerPort = parse.GetValue(embedded), Mqtt = mqtt, DeviceSecretPath = parse.GetValue(secret),
                Duration = s > 0 ? TimeSpan.FromSeconds(s) : null, SummaryPath = parse.GetValue(summary), SeLatencyMilliseconds = parse.GetValue(latency),
            }.Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, stop.Token);
        });
        return command;
    }
}
