using System.CommandLine;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Common;

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
        group.Add(CampaignCommand.Build());
        return group;
    }

    private static Command BuildRotateKeys()
    {
        var target = new BackendTargetOptions("the tenant id (the owner's, for the ISD)", "the security domain AID in hex (default: the ISD A000000151000000)", "obsolete, accepted and ignored by the agent: it puts each session on a logical channel of its own (docs/protocol.md §4.3); the commands are wrapped for this channel (default 0)");
        var keys = new Option<string>("--keys") { Description = "the current key set: a key file (KVN FF allowed) or 'default' (GP test keys 40..4F, KVN FF)", Required = true };
        var newKeys = new Option<string>("--new-keys") { Description = "the new key set's file, KVN 01 to 7F (nanoagent gp keygen writes one)", Required = true };
        var json = new Option<bool>("--json") { Description = "print the outcome as JSON (docs/json.md)" };
        var command = new Command("rotate-keys", "Take over a security domain through the agent: add your key set, prove it, delete the old one (e.g. the initial KVN FF).");
        target.AddTo(command);
        command.Add(keys);
        command.Add(newKeys);
        command.Add(json);
        command.SetAction(parse => !target.TryReadLogin(parse, out NanoAgent.Host.Mqtt.MqttNetSettings? mqtt, out string? secret) ? ExitCodes.Usage : new BackendRotateRequest
        {
            Mqtt = mqtt,
            KeysPath = parse.GetValue(keys)!,
            NewKeysPath = parse.GetValue(newKeys)!,
            RequestKeyPath = parse.GetValue(target.RequestKey)!,
            Broker = parse.GetValue(target.Broker)!,
            User = parse.GetValue(target.User),
            Password = secret,
            Device = parse.GetValue(target.Device)!,
            Tenant = parse.GetValue(target.Tenant)!,
            Sd = parse.GetValue(target.Sd),
            Channel = parse.GetValue(target.Channel),
            StatePath = parse.GetValue(target.State),
            TimeoutSeconds = parse.GetValue(target.Timeout),
            Json = parse.GetValue(json),
        }.Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static Command BuildRun()
    {
        var script = new Argument<string>("script") { Description = "the script file (docs/script-format.md)" };
        var target = new BackendTargetOptions("the tenant id", "the security domain AID in hex (else the script's 'sd' line)", "obsolete, accepted and ignored by the agent: it puts each session on a logical channel of its own (docs/protocol.md §4.3); the commands are wrapped for this channel (default 0)");
        var keys = new Option<string>("--keys") { Description = "the tenant's SCP03 key file: JSON {kvn, enc, mac, dek}, mode 600", Required = true };
        var resetGuard = new Option<bool>("--reset-auth-guard") { Description = "grant this tenant one more EXTERNAL AUTHENTICATE attempt past the relay's guard, which counts (docs/protocol.md §4.5)" };
        var resetGuardOf = new Option<string?>("--reset-auth-guard-of") { Description = "owner only: grant that tenant one more EXTERNAL AUTHENTICATE attempt (docs/protocol.md §4.5)" };
        var mode = new Option<string>("--mode") { Description = "interactive (one round trip per APDU), batch (pre-computed, one message) or plain (no SCP03 session, e.g. GET DATA CPLC)", DefaultValueFactory = _ => "interactive" };
        mode.AcceptOnlyFromAmong("interactive", "batch", "plain");
        var outFile = new Option<string?>("--out") { Description = "write the pre-computed request (E1, MAC'd with the request key) to this new file instead of sending it, for 'provision pack'; needs --mode batch or plain, no broker; reserves its counters in --state" };
        var level = new Option<string>("--level") { Description = "SCP03 security level in hex (33 = C-MAC C-DEC R-MAC R-ENC)", DefaultValueFactory = _ => "33" };
        var s16 = new Option<bool>("--s16") { Description = "use S16 mode (16-byte challenges and MACs), if the keys and card support it" };
        var counter = new Option<int?>("--counter") { Description = "batch: the SD sequence counter to pre-compute for (overrides the state file)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print the APDUs that would be sent, in clear and wrapped; send nothing" };
        var json = new Option<bool>("--json") { Description = "print the verified steps (or with --dry-run the APDUs) as JSON (docs/json.md)" };
        var saveData = new Option<string?>("--save-data") { Description = "write every step's whole response data to this file, one line each: step name, hex" };
        var command = new Command("run", "Run a script on the tenant's SD through the agent: SCP03 session, progress, verified per-step results.");
        command.Add(script);
        target.AddTo(command);
        foreach (Option option in new Option[] { keys, resetGuard, resetGuardOf, mode, outFile, level, s16, counter, dryRun, json, saveData })
        {
            command.Add(option);
        }

        command.SetAction(parse => !target.TryReadLogin(parse, out NanoAgent.Host.Mqtt.MqttNetSettings? mqtt, out string? secret) ? ExitCodes.Usage : new BackendRunRequest
        {
            Mqtt = mqtt,
            ScriptPath = parse.GetValue(script)!,
            KeysPath = parse.GetValue(keys)!,
            RequestKeyPath = parse.GetValue(target.RequestKey)!,
            ResetAuthGuard = parse.GetValue(resetGuard),
            ResetAuthGuardOf = parse.GetValue(resetGuardOf),
            Broker = parse.GetValue(target.Broker)!,
            User = parse.GetValue(target.User),
            Password = secret,
            Device = parse.GetValue(target.Device)!,
            Tenant = parse.GetValue(target.Tenant)!,
            Sd = parse.GetValue(target.Sd),
            Channel = parse.GetValue(target.Channel),
            Mode = parse.GetValue(mode)!,
            Level = parse.GetValue(level)!,
            S16 = parse.GetValue(s16),
            StatePath = parse.GetValue(target.State),
            Counter = parse.GetValue(counter),
            TimeoutSeconds = parse.GetValue(target.Timeout),
            DryRun = parse.GetValue(dryRun),
            Json = parse.GetValue(json),
            OutPath = parse.GetValue(outFile),
            SaveDataPath = parse.GetValue(saveData),
        }.Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
