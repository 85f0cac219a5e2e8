using System.CommandLine;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Runtime;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Host.Bus;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.T1;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Diag;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Common;
using NanoAgent.Host.Se;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent agent</c>: runs the script relay agent (docs/protocol.md) against the SE and an MQTT broker.</summary>
public static class AgentCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var se = new SeTargetOptions();
        var tenants = new Option<string>("--tenants") { Description = "tenant file: one 'id sdAidHex [maxBytes]' a line (an old third column 0-19, the channel, is ignored)", Required = true };
        var store = new Option<string?>("--store") { Description = "relay store file: counters, results, in-flight runs (default relay-store.json next to the --state file); must exist unless --new-store" };
        var newStore = new Option<bool>("--new-store") { Description = "create the relay store as a new, empty file (refused if it exists): replay protection starts from zero" };
        var device = new Option<string>("--device") { Description = "device id, the second topic level", DefaultValueFactory = _ => "dev1" };
        var broker = new Option<string?>("--broker") { Description = "broker address, mqtt://host:port or mqtts://host:port" };
        var embedded = new Option<int?>("--embedded-broker") { Description = "start an embedded broker on this port (default 1883; 0: a free port)", Arity = ArgumentArity.ZeroOrOne };
        var user = new Option<string?>("--user") { Description = "MQTT user name" };
        var password = new Option<string?>("--password") { Description = "MQTT password (with --user)" };
        var tls = new BrokerClientOptions();
        var brokerUsers = new Option<string?>("--broker-users")
        {
            Description = "with --embedded-broker: the broker users file (docs/broker-security.md); the broker then enforces per-user passwords and topic rules, and the agent logs in with --user/--password",
        };
        var keys = new Option<string?>("--platform-keys") { Description = "platform SCP03 key file (default for the virtual SE: ~/.nanoagent/platform-keys.json, created if missing; a virtual SE keeps the keys it was first given, like a real one; real SE: off unless given)" };
        var noScp = new Option<bool>("--no-platform-scp") { Description = "talk to the SE in plain (no platform SCP03)" };
        var owner = new Option<string?>("--owner-tenant") { Description = "the device owner's tenant id: its reset grants another tenant one more EXTERNAL AUTHENTICATE attempt (docs/protocol.md §4.5)" };
        var duration = new Option<int>("--duration") { Description = "stop after this many seconds (0: run until Ctrl+C)" };
        var sessionChannels = new Option<int?>("--session-channels") { Description = "the most sessions holding a logical channel at once, 1-19 (default: every channel the SE opens but one); more wait their turn (docs/protocol.md §4.3)" };
        var gates = new Option<string?>("--gates") { Description = "gating file: gate.<tenant>, sensor.<id>[.source|.unit|.interval_s], actuator.<id>[.pin|.command] lines (docs/gating.md)" };
        var interval = new Option<int>("--publish-interval") { Description = "seconds between readings of sensors without interval_s", DefaultValueFactory = _ => 60 };
        var command = new Command("agent", "Run the relay agent: tenants' scripts from MQTT to their security domains on the SE; with --gates also SE-signed readings and SE-verified actuator commands.");
        se.AddTo(command);
        foreach (Option option in new Option[] { tenants, store, newStore, device, broker, embedded, user, password, brokerUsers, keys, noScp, owner, duration, gates, interval, sessionChannels })
        {
            command.Add(option);
        }

        tls.AddTo(command);

        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            TextWriter error = parse.InvocationConfiguration.Error;
            bool useEmbedded = parse.GetResult(embedded) is not null;
            if (useEmbedded == parse.GetValue(broker) is not null)
            {
                error.WriteLine("give either --broker mqtt://host:port or --embedded-broker [port]");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(brokerUsers) is not null && !useEmbedded)
            {
                error.WriteLine("--broker-users configures the embedded broker: give it with --embedded-broker");
                return ExitCodes.Usage;
            }

            if (!tls.TryReadPassword(parse, password, out string? secret))
            {
                return ExitCodes.Usage;
            }

            if (parse.GetValue(user) is null != secret is null)
            {
                error.WriteLine("--user and --password (or --password-file) go together");
                return ExitCodes.Usage;
            }

            if (!System.Text.RegularExpressions.Regex.IsMatch(parse.GetValue(device)!, "^[A-Za-z0-9._-]{1,64}$"))
            {
                error.WriteLine($"--device '{parse.GetValue(device)}' is not an identifier: 1 to 64 of A-Z a-z 0-9 . _ - (it is an MQTT topic level)");
                return ExitCodes.Usage;
            }

            if (useEmbedded && parse.GetValue(embedded) is int port && port is < 0 or > 65535)
            {
                error.WriteLine($"--embedded-broker {port} is not a TCP port: use 0..65535 (0: a free port)");
                return ExitCodes.Usage;
            }

            MqttBrokerAddress? address = null;
            try
            {
                address = useEmbedded ? null : MqttBrokerAddress.Parse(parse.GetValue(broker)!);
            }
            catch (FormatException e)
            {
                error.WriteLine($"--broker: {e.Message}");
                return ExitCodes.Usage;
            }

            string tenantFile = parse.GetValue(tenants)!;
            TenantRegistry registry;
            try
            {
                registry = TenantRegistry.Parse(InputFile.ReadText(tenantFile, "tenant file"));
            }
            catch (ArgumentException e)
            {
                throw new InputFileException(tenantFile, e.Message, e);
            }

            if (registry.Count == 0)
            {
                throw new InputFileException(tenantFile, "names no tenant: one 'id sdAidHex [maxBytes]' a line");
            }

            if (parse.GetValue(sessionChannels) is < 1 or > 19)
            {
                error.WriteLine("--session-channels must be 1 to 19");
                return ExitCodes.Usage;
            }

            GatingConfig? gating = null;
            if (parse.GetValue(gates) is { } gatesFile)
            {
                try
                {
                    gating = GatingConfig.Parse(InputFile.ReadText(gatesFile, "gates file"));
                }
                catch (AgentConfigException e)
                {
                    throw new InputFileException(gatesFile, e.Message, e);
                }
            }

            if (parse.GetValue(interval) is < 1 or > 86400)
            {
                error.WriteLine("--publish-interval must be 1 to 86400 seconds");
                return ExitCodes.Usage;
            }

            NanoAgent.Host.Mqtt.Access.BrokerAccessPolicy? access = null;
            try
            {
                if (parse.GetValue(brokerUsers) is { } usersFile)
                {
                    access = NanoAgent.Host.Mqtt.Access.BrokerAccessPolicy.Build(NanoAgent.Host.Mqtt.Access.BrokerUserFile.Load(usersFile), registry);
                }
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"--broker-users: {e.Message}");
                return ExitCodes.Usage;
            }

            AgentHostOptions options;
            FrameTraceWriter? trace;
            try
            {
                var target = se.Read(parse);
                trace = se.Trace.Open(parse, target.EffectiveProtocol, target.IsSpi);
                options = new AgentHostOptions
                {
                    Target = target,
                    Tenants = registry,
                    TenantsFile = tenantFile,
                    StorePath = parse.GetValue(store) ?? Path.Combine(Path.GetDirectoryName(target.StatePath) ?? ".", "relay-store.json"),
                    NewStore = parse.GetValue(newStore),
                    DeviceId = parse.GetValue(device)!,
                    OwnerTenant = parse.GetValue(owner),
                    MaxSessionChannels = parse.GetValue(sessionChannels),
                    Broker = address,
                    EmbeddedBrokerPort = useEmbedded ? parse.GetValue(embedded) ?? MqttBrokerAddress.DefaultPort : null,
                    UserName = parse.GetValue(user),
                    Password = secret,
                    Mqtt = tls.Read(parse),
                    BrokerAccess = access,
                    PlatformKeyFile = parse.GetValue(keys),
                    DisablePlatformScp = parse.GetValue(noScp),
                    Trace = trace,
                    GateConfig = gating,
                    PublishIntervalSeconds = parse.GetValue(interval),
                };
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine(e.Message);
                return ExitCodes.Usage;
            }

            if (CardMismatch(options.Target, registry, gating) is { } mismatch)
            {
                trace?.Dispose();
                error.WriteLine(mismatch);
                return ExitCodes.Usage;
            }

            using var traceScope = trace;
            return Run(options, parse.GetValue(duration), output, error);
        });
        return command;
    }

    /// <summary>
    /// One SE is one kind of card (docs/se05x.md): SE05x tenants ('id se05x block') and gates (<c>se.card = se05x</c>) need NXP's
    /// IoT applet, GP tenants ('id sdAid') and gate-applet gates a GP card; on the virtual SE, <c>--card</c> must fit them.
    /// </summary>
    /// <returns>What does not fit, or null.</returns>
    internal static string? CardMismatch(SeTarget target, TenantRegistry registry, GatingConfig? gating)
    {
        Tenant[] tenants = registry.All();
        string? se05xTenant = tenants.FirstOrDefault(t => t.IsSe05x)?.Id;
        string? gpTenant = tenants.FirstOrDefault(t => !t.IsSe05x)?.Id;
        bool se05xGates = gating is { Card: GateCard.Se05x, GateCount: > 0 };
        bool gpGates = gating is { Card: GateCard.GateApplet, GateCount: > 0 };
        if (se05xTenant is not null && gpTenant is not null)
        {
            return $"the tenants file mixes SE05x tenants ('{se05xTenant}') and GP tenants ('{gpTenant}'): an SE is an SE05x or a GP card, not both";
        }

        if ((se05xTenant is not null && gpGates) || (gpTenant is not null && se05xGates))
        {
            return $"the gates file is for {(se05xGates ? "an SE05x (se.card = se05x)" : "the gate applet of a GP card")}, the tenants file for {(se05xTenant is not null ? "an SE05x" : "a GP card")}";
        }

        if (!target.IsVirtual)
        {
            return null;
        }

        if (!target.IsSe05xCard && (se05xTenant is not null || se05xGates))
        {
            return $"SE05x {(se05xTenant is not null ? $"tenants ('{se05xTenant}')" : "gates (se.card = se05x)")} need the virtual SE05x: add --card se05x";
        }

        if (target.IsSe05xCard && (gpTenant is not null || gpGates))
        {
            return $"the virtual SE05x has no security domains or gate applet: {(gpTenant is not null ? $"tenant '{gpTenant}' names an SD AID" : "the gates file is for the gate applet")}; use 'id se05x <auth object>' lines and se.card = se05x, or drop --card se05x";
        }

        return null;
    }

    private static int Run(AgentHostOptions options, int seconds, TextWriter output, TextWriter error)
    {
        // Listening before the start, so a SIGTERM while the agent starts still ends it cleanly (at once after the start).
        using var stop = new ShutdownSignal();
        AgentHost host;
        try
        {
            host = AgentHost.Start(options, output);
        }
        catch (Exception e) when (e is HostBusException or BlockProtocolException)
        {
            error.WriteLine($"the SE does not answer: {e.Message}");
            return e is HostBusException { Error: HostBusError.InvalidBusName } ? ExitCodes.Usage : ExitCodes.NoDevice;
        }
        catch (MqttConnectionRefusedException e)
        {
            // The broker answered, with a refusal (login): exit 1, as backend and provision.
            error.WriteLine(e.Message);
            return ExitCodes.Failed;
        }
        catch (MqttConnectionException e)
        {
            // Like backend and provision: an unreachable broker is a peer that cannot be reached.
            error.WriteLine(e.Message);
            return ExitCodes.NoDevice;
        }
        catch (AgentConfigException e)
        {
            error.WriteLine($"gates file: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (GpioUnavailableException e)
        {
            error.WriteLine(e.Message);
            return ExitCodes.NoDevice;
        }
        catch (SecureChannelException e)
        {
            // The SE answered, with a refusal: exit 1. GP Amd D §6.2.2.2: a card cryptogram that does not verify means other keys.
            error.WriteLine(e.Error switch
            {
                SecureChannelError.CardCryptogramMismatch => "platform SCP03 failed: the platform keys do not match the SE's (card cryptogram mismatch): give --platform-keys the key file this SE was given",
                SecureChannelError.InitializeUpdateRejected or SecureChannelError.KeyVersionMismatch => $"platform SCP03 failed: the SE holds no platform keys of the platform key file's version ({e.Message})",
                _ => $"platform SCP03 failed ({e.Message}): check the platform key file",
            });
            return ExitCodes.Failed;
        }
        catch (ArgumentException e)
        {
            error.WriteLine(e.Message);
            return ExitCodes.Usage;
        }

        using (host)
        {
            stop.Wait(seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan);
            host.StopReason = stop.Received;
        }

        return ExitCodes.Ok;
    }
}
