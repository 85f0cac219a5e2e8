using System.CommandLine;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Host.Bus;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.T1;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Diag;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent agent</c>: runs the script relay agent (docs/protocol.md) against the SE and an MQTT broker.</summary>
public static class AgentCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var se = new SeTargetOptions();
        var tenants = new Option<string>("--tenants") { Description = "tenant file: one 'id sdAidHex channel [maxBytes]' a line", Required = true };
        var store = new Option<string?>("--store") { Description = "relay store file: counters, results, in-flight runs (default relay-store.json next to the --state file)" };
        var device = new Option<string>("--device") { Description = "device id, the second topic level", DefaultValueFactory = _ => "dev1" };
        var broker = new Option<string?>("--broker") { Description = "broker address, mqtt://host:port or mqtts://host:port" };
        var embedded = new Option<int?>("--embedded-broker") { Description = "start an embedded broker on this port (default 1883; 0: a free port)", Arity = ArgumentArity.ZeroOrOne };
        var user = new Option<string?>("--user") { Description = "MQTT user name" };
        var password = new Option<string?>("--password") { Description = "MQTT password (with --user)" };
        var ca = new Option<string?>("--ca-file") { Description = "PEM CA certificate that signs the broker's TLS certificate" };
        var insecure = new Option<bool>("--insecure") { Description = "accept any TLS certificate (testing only)" };
        var keys = new Option<string?>("--platform-keys") { Description = "platform SCP03 key file (default for the virtual SE: ~/.nanoagent/platform-keys.json, created if missing; real SE: off unless given)" };
        var noScp = new Option<bool>("--no-platform-scp") { Description = "talk to the SE in plain (no platform SCP03)" };
        var owner = new Option<string?>("--owner-tenant") { Description = "the device owner's tenant id: it may clear another tenant's EXTERNAL AUTHENTICATE guard (docs/protocol.md §4.5)" };
        var duration = new Option<int>("--duration") { Description = "stop after this many seconds (0: run until Ctrl+C)" };
        var command = new Command("agent", "Run the relay agent: tenants' scripts from MQTT to their security domains on the SE.");
        se.AddTo(command);
        foreach (Option option in new Option[] { tenants, store, device, broker, embedded, user, password, ca, insecure, keys, noScp, owner, duration })
        {
            command.Add(option);
        }

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

            if (parse.GetValue(user) is null != parse.GetValue(password) is null)
            {
                error.WriteLine("--user and --password go together");
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

            TenantRegistry registry;
            try
            {
                registry = TenantRegistry.Parse(File.ReadAllText(parse.GetValue(tenants)!));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                error.WriteLine($"tenant file '{parse.GetValue(tenants)}': {e.Message}");
                return ExitCodes.Usage;
            }

            AgentHostOptions options;
            FrameTraceWriter? trace;
            try
            {
                var target = se.Read(parse);
                trace = se.Trace.Open(parse, target.EffectiveProtocol);
                options = new AgentHostOptions
                {
                    Target = target,
                    Tenants = registry,
                    StorePath = parse.GetValue(store) ?? Path.Combine(Path.GetDirectoryName(target.StatePath) ?? ".", "relay-store.json"),
                    DeviceId = parse.GetValue(device)!,
                    OwnerTenant = parse.GetValue(owner),
                    Broker = address,
                    EmbeddedBrokerPort = useEmbedded ? parse.GetValue(embedded) ?? MqttBrokerAddress.DefaultPort : null,
                    UserName = parse.GetValue(user),
                    Password = parse.GetValue(password),
                    Mqtt = new MqttNetSettings { CaCertificateFile = parse.GetValue(ca), AllowUntrustedCertificates = parse.GetValue(insecure) },
                    PlatformKeyFile = parse.GetValue(keys),
                    DisablePlatformScp = parse.GetValue(noScp),
                    Trace = trace,
                };
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine(e.Message);
                return ExitCodes.Usage;
            }

            using var traceScope = trace;
            return Run(options, parse.GetValue(duration), output, error);
        });
        return command;
    }

    private static int Run(AgentHostOptions options, int seconds, TextWriter output, TextWriter error)
    {
        AgentHost host;
        try
        {
            host = AgentHost.Start(options, output);
        }
        catch (Exception e) when (e is HostBusException or BlockProtocolException)
        {
            error.WriteLine($"the SE does not answer: {e.Message}");
            return ExitCodes.NoDevice;
        }
        catch (Exception e) when (e is FileRelayStoreException or PlatformKeyStoreException or SecureChannelException
            or MqttConnectionException or ArgumentException)
        {
            error.WriteLine(e is SecureChannelException ? $"platform SCP03 failed ({e.Message}): check the platform key file" : e.Message);
            return ExitCodes.Failed;
        }

        using (host)
        {
            using var stop = new ManualResetEventSlim();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                stop.Set();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                stop.Wait(seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }

        return ExitCodes.Ok;
    }
}
