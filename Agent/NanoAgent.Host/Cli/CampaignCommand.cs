using System.CommandLine;
using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Common;
using NanoAgent.Host.Fleet;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent backend campaign create|run|status|cancel|report|bench</c>: a tenant's script rolled out to many
/// devices, its state in a database (docs/fleet.md).</summary>
public static class CampaignCommand
{
    /// <summary>Builds the command group.</summary>
    /// <returns>The <c>campaign</c> command.</returns>
    public static Command Build()
    {
        var group = new Command("campaign", "Roll a script out to many devices from one or more workers, state in SQLite or PostgreSQL (docs/fleet.md).");
        group.Add(BuildCreate());
        group.Add(BuildRun());
        group.Add(BuildStatus());
        group.Add(BuildCancel());
        group.Add(BuildReport());
        group.Add(CampaignBenchCommand.Build());
        return group;
    }

    /// <summary>Makes the <c>--db</c> option.</summary>
    /// <returns>The option.</returns>
    public static Option<string> DbOption() => new("--db")
    {
        Description = "the campaign database: a SQLite file (default ~/.nanoagent/fleet.db) or PostgreSQL, postgres://user@host:port/db or a connection string",
        DefaultValueFactory = _ => FleetDatabase.DefaultPath,
    };

    private static Argument<string> NameArgument() => new("name") { Description = "the campaign name (A-Z a-z 0-9 . _ -)" };

    private static Command BuildCreate()
    {
        var name = NameArgument();
        var db = DbOption();
        var tenant = new Option<string>("--tenant") { Description = "the tenant id", Required = true };
        var script = new Option<string>("--script") { Description = "the script file (docs/script-format.md)", Required = true };
        var devices = new Option<string>("--devices") { Description = "the device list: one device id a line, # comments", Required = true };
        var sd = new Option<string?>("--sd") { Description = "the SD AID in hex (else the script's 'sd' line)" };
        var channel = new Option<int>("--channel") { Description = "the tenant's logical channel (0 = basic)" };
        var mode = new Option<string>("--mode") { Description = "batch (pre-computed, one message a device; re-sent safely after a take-over) or interactive", DefaultValueFactory = _ => "batch" };
        mode.AcceptOnlyFromAmong("batch", "interactive");
        var level = new Option<string>("--level") { Description = "SCP03 security level in hex", DefaultValueFactory = _ => "33" };
        var s16 = new Option<bool>("--s16") { Description = "S16 mode" };
        var kvn = new Option<string?>("--kvn") { Description = "the key version of the tenant's SCP03 key set on the devices, hex (or give --keys)" };
        var keys = new Option<string?>("--keys") { Description = "a tenant key file to take the key version from" };
        var json = new Option<bool>("--json") { Description = "print the campaign stored in the JSON envelope (docs/json.md)" };
        var rules = new RuleOptions();
        var command = new Command("create", "Store a campaign: the script, the device list (all queued) and the rollout rules.");
        command.Add(name);
        foreach (Option o in new Option[] { db, tenant, script, devices, sd, channel, mode, level, s16, kvn, keys, json })
        {
            command.Add(o);
        }

        rules.AddTo(command);
        command.SetAction(parse => new CampaignCreateRequest
        {
            Name = parse.GetValue(name)!, Db = parse.GetValue(db)!, Tenant = parse.GetValue(tenant)!, ScriptPath = parse.GetValue(script)!,
            DevicesPath = parse.GetValue(devices)!, Sd = parse.GetValue(sd), Channel = parse.GetValue(channel), Mode = parse.GetValue(mode)!,
            Level = parse.GetValue(level)!, S16 = parse.GetValue(s16), KeyVersion = parse.GetValue(kvn), KeysPath = parse.GetValue(keys),
            Rules = rules.Read(parse), Json = parse.GetValue(json),
        }.Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static Command BuildRun()
    {
        var name = NameArgument();
        var db = DbOption();
        var keys = new Option<string?>("--keys") { Description = "the tenant's SCP03 key file (the same key set on every device)" };
        var masterKey = new Option<string?>("--master-key") { Description = MasterKeyOption.Help };
        var requestKey = new Option<string>("--request-key") { Description = "the tenant's request key set (KVN 60-6F): every request is MAC'd with it", Required = true };
        var broker = new Option<string>("--broker") { Description = "MQTT broker, mqtt://host:port or mqtts://host:port", DefaultValueFactory = _ => "mqtt://127.0.0.1:1883" };
        var user = new Option<string?>("--user") { Description = "broker user name (needs read rights on nanoagent/+/TENANT/script/res, .../progress and nanoagent/+/status)" };
        var password = new Option<string?>("--password") { Description = "broker password (or --password-file)" };
        var tls = new BrokerClientOptions();
        var parallel = new Option<int>("--parallel") { Description = "devices this worker runs at once (default: the campaign's --max-in-flight, at most 256)" };
        var resume = new Option<bool>("--resume") { Description = "resume an aborted campaign (the abort rule counts from now on)" };
        var worker = new Option<string?>("--worker-id") { Description = "this worker's name in the database (default host:pid:random)" };
        var every = new Option<int>("--progress-every") { Description = "seconds between progress lines", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "print the outcome (devices per state, aborted or not) in the JSON envelope instead of progress lines (docs/json.md)" };
        var command = new Command("run", "Work on a campaign until no device is left: start it on as many machines as you like against one database.");
        command.Add(name);
        foreach (Option o in new Option[] { db, keys, masterKey, requestKey, broker, user, password, parallel, resume, worker, every, json })
        {
            command.Add(o);
        }

        tls.AddTo(command);
        command.SetAction(parse =>
        {
            if (!tls.TryRead(parse, out MqttNetSettings? mqtt) || !tls.TryReadPassword(parse, password, out string? secret))
            {
                return ExitCodes.Usage;
            }

            using var stop = new ShutdownSignal();
            return new CampaignRunRequest
            {
                Name = parse.GetValue(name)!, Db = parse.GetValue(db)!, KeysPath = parse.GetValue(keys), MasterKey = parse.GetValue(masterKey),
                RequestKeyPath = parse.GetValue(requestKey)!, Broker = parse.GetValue(broker)!, User = parse.GetValue(user), Password = secret, Mqtt = mqtt, Parallel = parse.GetValue(parallel),
                Resume = parse.GetValue(resume), WorkerId = parse.GetValue(worker), ProgressInterval = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(every))), Json = parse.GetValue(json),
            }.Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, stop.Token);
        });
        return command;
    }

    private static Command BuildStatus()
    {
        var name = NameArgument();
        var db = DbOption();
        var json = new Option<bool>("--json") { Description = "print the status in the JSON envelope (docs/json.md)" };
        var command = new Command("status", "Show a campaign: state, rules, devices per state, workers.") { name, db, json };
        command.SetAction(parse => new CampaignStatusRequest { Name = parse.GetValue(name)!, Db = parse.GetValue(db)!, Json = parse.GetValue(json) }
            .Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static Command BuildCancel()
    {
        var name = NameArgument();
        var db = DbOption();
        var reason = new Option<string>("--reason") { Description = "why (kept with the campaign)", DefaultValueFactory = _ => "cancelled by the operator" };
        var json = new Option<bool>("--json") { Description = "print the outcome in the JSON envelope (docs/json.md)" };
        var command = new Command("cancel", "Cancel a campaign: queued devices are cancelled, devices in progress finish.") { name, db, reason, json };
        command.SetAction(parse => new CampaignCancelRequest { Name = parse.GetValue(name)!, Db = parse.GetValue(db)!, Reason = parse.GetValue(reason)!, Json = parse.GetValue(json) }
            .Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static Command BuildReport()
    {
        var name = NameArgument();
        var db = DbOption();
        var device = new Option<string?>("--device") { Description = "one device in full: its step results and state changes" };
        var json = new Option<bool>("--json") { Description = "print the report in the JSON envelope (docs/json.md)" };
        var command = new Command("report", "Report every device of a campaign (state, tries, sends, verdict), or one device in full.") { name, db, device, json };
        command.SetAction(parse => new CampaignReportRequest { Name = parse.GetValue(name)!, Db = parse.GetValue(db)!, Device = parse.GetValue(device), Json = parse.GetValue(json) }
            .Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>The rollout rule options of <c>campaign create</c>.</summary>
    private sealed class RuleOptions
    {
        private readonly Option<int> _maxInFlight = new("--max-in-flight") { Description = "devices in progress at once, across all workers", DefaultValueFactory = _ => 50 };
        private readonly Option<int> _maxPerMinute = new("--max-per-minute") { Description = "devices started in any minute, across all workers (0 = no limit)" };
        private readonly Option<int> _abortPercent = new("--abort-percent") { Description = "abort when more than this % of finished devices failed", DefaultValueFactory = _ => 10 };
        private readonly Option<int> _abortMin = new("--abort-min-devices") { Description = "... once at least this many devices finished", DefaultValueFactory = _ => 20 };
        private readonly Option<int> _timeout = new("--device-timeout") { Description = "seconds a device may take per try", DefaultValueFactory = _ => 120 };
        private readonly Option<int> _attempts = new("--max-attempts") { Description = "tries of a device that is offline or busy before it is timed out", DefaultValueFactory = _ => 5 };
        private readonly Option<int> _retryBase = new("--retry-base") { Description = "seconds before the first retry; doubles each time", DefaultValueFactory = _ => 10 };
        private readonly Option<int> _retryMax = new("--retry-max") { Description = "longest retry delay in seconds", DefaultValueFactory = _ => 600 };
        private readonly Option<int> _lease = new("--lease") { Description = "seconds a worker's claim holds without renewal (a dead worker's devices are taken over after it)", DefaultValueFactory = _ => 30 };

        public void AddTo(Command command)
        {
            foreach (Option o in new Option[] { _maxInFlight, _maxPerMinute, _abortPercent, _abortMin, _timeout, _attempts, _retryBase, _retryMax, _lease })
            {
                command.Add(o);
            }
        }

        public RolloutRules Read(ParseResult parse) => new()
        {
            MaxInFlight = parse.GetValue(_maxInFlight), MaxPerMinute = parse.GetValue(_maxPerMinute), AbortPercent = parse.GetValue(_abortPercent),
            AbortMinDevices = parse.GetValue(_abortMin), DeviceTimeout = TimeSpan.FromSeconds(parse.GetValue(_timeout)),
            MaxAttempts = parse.GetValue(_attempts), RetryBase = TimeSpan.FromSeconds(parse.GetValue(_retryBase)),
            RetryMax = TimeSpan.FromSeconds(parse.GetValue(_retryMax)), Lease = TimeSpan.FromSeconds(parse.GetValue(_lease)),
        };
    }
}
