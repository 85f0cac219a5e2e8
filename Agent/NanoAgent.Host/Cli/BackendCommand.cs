using System.CommandLine;
using NanoAgent.Host.Backend;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent backend</c>: a stakeholder's backend (holds the tenant's SCP03 keys); <c>run</c> sends a script, <c>rotate-keys</c> replaces a key set.</summary>
public static class BackendCommand
{
    /// <summary>Builds the command group.</summary>
    /// <returns>The <c>backend</c> command with its subcommands.</returns>
    public static Command Build()
    {
        var group = new Command("backend", "A tenant's backend: holds the tenant's SCP03 keys and drives its security domain through the agent's relay.");
        group.Add(BuildRun());
        group.Add(BuildRotateKeys());
        BackendGateCommands.AddTo(group);
        return group;
    }

    private static Command BuildRotateKeys()
    {
        var broker = new Option<string>("--broker") { Description = "MQTT broker, mqtt://host:port or mqtts://host:port", DefaultValueFactory = _ => "mqtt://127.0.0.1:1883" };
        var user = new Option<string?>("--user") { Description = "broker user name" };
        var password = new Option<string?>("--password") { Description = "broker password" };
        var device = new Option<string>("--device") { Description = "the device id (topic nanoagent/<device>/...)", Required = true };
        var tenant = new Option<string>("--tenant") { Description = "the tenant id (the owner's, for the ISD)", Required = true };
        var keys = new Option<string>("--keys") { Description = "the current key set: a key file (KVN FF allowed) or 'default' (GP test keys 40..4F, KVN FF)", Required = true };
        var newKeys = new Option<string>("--new-keys") { Description = "the new key set's file, KVN 01 to 7F (nanoagent gp keygen writes one)", Required = true };
        var requestKey = new Option<string>("--request-key") { Description = "the tenant's request key set (KVN 60-6F, mode 600): every request is MAC'd with it (docs/protocol.md §3.9)", Required = true };
        var sd = new Option<string?>("--sd") { Description = "the security domain AID in hex (default: the ISD A000000151000000)" };
        var channel = new Option<int>("--channel") { Description = "the tenant's logical channel (0 = basic)" };
        var state = new Option<string?>("--state") { Description = "backend state file (counters); default ~/.nanoagent/backend-<tenant>.json" };
        var timeout = new Option<int>("--timeout") { Description = "seconds to wait for each answer of the agent", DefaultValueFactory = _ => 30 };
        var tls = new BrokerClientOptions();
        var command = new Command("rotate-keys", "Take over a security domain through the agent: add your key set, prove it, delete the old one (e.g. the initial KVN FF).");
        tls.AddTo(command);
        foreach (Option option in new Option[] { broker, user, password, device, tenant, keys, newKeys, requestKey, sd, channel, state, timeout })
        {
            command.Add(option);
        }

        command.SetAction(parse => !tls.TryRead(parse, out NanoAgent.Host.Mqtt.MqttNetSettings? mqtt) || !tls.TryReadPassword(parse, password, out string? secret) ? ExitCodes.Usage : new BackendRotateRequest
        {
            Mqtt = mqtt,
            KeysPath = parse.GetValue(keys)!,
            NewKeysPath = parse.GetValue(newKeys)!,
            RequestKeyPath = parse.GetValue(requestKey)!,
            Broker = parse.GetValue(broker)!,
            User = parse.GetValue(user),
            Password = secret,
            Device = parse.GetValue(device)!,
            Tenant = parse.GetValue(tenant)!,
            Sd = parse.GetValue(sd),
            Channel = parse.GetValue(channel),
            StatePath = parse.GetValue(state),
            TimeoutSeconds = parse.GetValue(timeout),
        }.Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static Command BuildRun()
    {
        var script = new Argument<string>("script") { Description = "the script file (docs/script-format.md)" };
        var broker = new Option<string>("--broker") { Description = "MQTT broker, mqtt://host:port or mqtts://host:port", DefaultValueFactory = _ => "mqtt://127.0.0.1:1883" };
        var user = new Option<string?>("--user") { Description = "broker user name" };
        var password = new Option<string?>("--password") { Description = "broker password" };
        var device = new Option<string>("--device") { Description = "the device id (topic nanoagent/<device>/...)", Required = true };
        var tenant = new Option<string>("--tenant") { Description = "the tenant id", Required = true };
        var keys = new Option<string>("--keys") { Description = "the tenant's SCP03 key file: JSON {kvn, enc, mac, dek}, mode 600", Required = true };
        var requestKey = new Option<string>("--request-key") { Description = "the tenant's request key set (KVN 60-6F, same JSON, mode 600): every request is MAC'd with it (docs/protocol.md §3.9)", Required = true };
        var resetGuard = new Option<bool>("--reset-auth-guard") { Description = "clear the relay's EXTERNAL AUTHENTICATE guard for this tenant first (docs/protocol.md §4.5)" };
        var resetGuardOf = new Option<string?>("--reset-auth-guard-of") { Description = "owner only: clear that tenant's EXTERNAL AUTHENTICATE guard (docs/protocol.md §4.5)" };
        var sd = new Option<string?>("--sd") { Description = "the security domain AID in hex (else the script's 'sd' line)" };
        var channel = new Option<int>("--channel") { Description = "the tenant's logical channel (onboarding data; 0 = basic)" };
        var mode = new Option<string>("--mode") { Description = "interactive (one round trip per APDU) or batch (pre-computed, one message)", DefaultValueFactory = _ => "interactive" };
        mode.AcceptOnlyFromAmong("interactive", "batch");
        var level = new Option<string>("--level") { Description = "SCP03 security level in hex (33 = C-MAC C-DEC R-MAC R-ENC)", DefaultValueFactory = _ => "33" };
        var s16 = new Option<bool>("--s16") { Description = "use S16 mode (16-byte challenges and MACs), if the keys and card support it" };
        var state = new Option<string?>("--state") { Description = "backend state file (counters); default ~/.nanoagent/backend-<tenant>.json" };
        var counter = new Option<int?>("--counter") { Description = "batch: the SD sequence counter to pre-compute for (overrides the state file)" };
        var timeout = new Option<int>("--timeout") { Description = "seconds to wait for each answer of the agent with nothing heard; the request is sent again, same bytes, every 5 s meanwhile and after a broker reconnect", DefaultValueFactory = _ => 30 };
        var dryRun = new Option<bool>("--dry-run") { Description = "print the APDUs that would be sent, in clear and wrapped; send nothing" };
        var tls = new BrokerClientOptions();
        var command = new Command("run", "Run a script on the tenant's SD through the agent: SCP03 session, progress, verified per-step results.");
        command.Add(script);
        tls.AddTo(command);
        foreach (Option option in new Option[] { broker, user, password, device, tenant, keys, requestKey, resetGuard, resetGuardOf, sd, channel, mode, level, s16, state, counter, timeout, dryRun })
        {
            command.Add(option);
        }

        command.SetAction(parse => !tls.TryRead(parse, out NanoAgent.Host.Mqtt.MqttNetSettings? mqtt) || !tls.TryReadPassword(parse, password, out string? secret) ? ExitCodes.Usage : new BackendRunRequest
        {
            Mqtt = mqtt,
            ScriptPath = parse.GetValue(script)!,
            KeysPath = parse.GetValue(keys)!,
            RequestKeyPath = parse.GetValue(requestKey)!,
            ResetAuthGuard = parse.GetValue(resetGuard),
            ResetAuthGuardOf = parse.GetValue(resetGuardOf),
            Broker = parse.GetValue(broker)!,
            User = parse.GetValue(user),
            Password = secret,
            Device = parse.GetValue(device)!,
            Tenant = parse.GetValue(tenant)!,
            Sd = parse.GetValue(sd),
            Channel = parse.GetValue(channel),
            Mode = parse.GetValue(mode)!,
            Level = parse.GetValue(level)!,
            S16 = parse.GetValue(s16),
            StatePath = parse.GetValue(state),
            Counter = parse.GetValue(counter),
            TimeoutSeconds = parse.GetValue(timeout),
            DryRun = parse.GetValue(dryRun),
        }.Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
