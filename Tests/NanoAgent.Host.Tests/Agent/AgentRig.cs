using System.Collections.Concurrent;
using System.Text;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Se;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>
/// Files for an agent (virtual SE state with one SSD per tenant, store, platform keys), a <see cref="LogSink"/>, a counting
/// and fault-injecting transport, and a test MQTT client on the tenant's res topic. Every wait is bounded (10 s).
/// </summary>
public sealed class AgentRig : IDisposable
{
    public const string AcmeSd = "F06E616E6F534401";
    public const string BetaSd = "F06E616E6F534402";

    /// <summary>The tenants every rig registers: id, SD AID and logical channel.</summary>
    public static readonly (string Id, string Sd, int Channel)[] AllTenants =
    [
        ("acme", AcmeSd, 1), ("beta", BetaSd, 2), ("gamma", "F06E616E6F534403", 3), ("delta", "F06E616E6F534404", 0),
    ];

    /// <summary>GET DATA IIN (GPC v2.3.1 §11.3, tag '42') on channel 1: the virtual card answers 42 04 6E616E6F 9000.</summary>
    public const string GetIinCh1 = "81CA004200";

    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDir _dir = new();
    private readonly List<IDisposable> _owned = new();

    public AgentRig()
    {
        // The tenants' SSDs, personalized, as an ISD session would leave them (GpInstall + GpPutKey).
        CardState state = CardState.CreateFresh();
        foreach ((string id, string aid, int _) in AllTenants)
        {
            state.Entries.Add(new RegistryEntry
            {
                Aid = Hex.Parse(aid),
                Kind = RegistryEntryKind.SecurityDomain,
                LifeCycle = EntryLifeCycle.Personalized,
                Privileges = [0x80, 0x00, 0x00],
                AssociatedSecurityDomain = CardState.DefaultIsdAid.ToArray(),
                Domain = new SecurityDomainData { KeySets = [KeySetRecord.Create(0x60, RequestKey(id), RequestKey(id), RequestKey(id))] },
            });
        }

        new CardStateStore(StatePath).Save(state);
        FileRelayStore.Create(StorePath); // every start of this rig opens it, as a restarted agent does
        Tenants = TenantRegistry.Parse($"acme {AcmeSd} 1 4096\nbeta {BetaSd} 2\ngamma {AllTenants[2].Sd} 3\ndelta {AllTenants[3].Sd} 0\n");
    }

    public string StatePath => _dir.File("vse.json");

    public string StorePath => _dir.File("store.json");

    public string KeyPath => _dir.File("platform-keys.json");

    public string Dir => _dir.Path;

    public TenantRegistry Tenants { get; }

    public LogSink Log { get; } = new();

    public Counting Se { get; } = new();

    public AgentHostOptions Options(MqttBrokerAddress? broker, bool platformScp = false, int? embeddedPort = null, bool keyStatus = false) => new()
    {
        Target = new SeTarget { StatePath = StatePath },
        Tenants = Tenants,
        StorePath = StorePath,
        Broker = broker,
        EmbeddedBrokerPort = embeddedPort,
        PlatformKeyFile = KeyPath,
        DisablePlatformScp = !platformScp,
        ReconnectMinDelayMilliseconds = 2000,
        TransportDecorator = inner => Se.Over(inner),
        KeyStatusIntervalSeconds = keyStatus ? 3600 : 0, // off by default: the tests count every APDU that reaches the SE
    };

    public AgentHost Start(AgentHostOptions options)
    {
        var host = AgentHost.Start(options, Log);
        _owned.Add(host);
        return host;
    }

    public Client Connect(MqttBrokerAddress broker, string tenant = "acme", string? user = null, string? password = null)
    {
        var client = new Client(broker, tenant, user, password);
        _owned.Add(client);
        return client;
    }

    public static ScriptStep Step(string apdu, ushort sw = 0x9000, bool data = false) => new(Hex.Parse(apdu), sw, 0xFFFF, false, data);

    /// <summary>A tenant's request key (fixed per tenant id); the rig's SDs hold it as key set '60'.</summary>
    public static byte[] RequestKey(string tenant) => System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes("request-key:" + tenant))[..16];

    /// <summary>A signer with a tenant's request key for device "dev1" (the agent host's default device id).</summary>
    public static RequestSigner Signer(string tenant, string? keyOf = null) =>
        new(NanoAgent.Drivers.Host.Crypto.BouncyCastleAesFactory.Instance.CreateAes(RequestKey(keyOf ?? tenant), 0, 16), 0x60, "dev1", tenant);

    /// <summary>A batch request, encoded and MAC'd with the tenant's request key.</summary>
    public static byte[] Script(string tenant, ulong counter, string id, string sd, params ScriptStep[] steps) =>
        Signer(tenant).Sign(new ScriptRequest
        {
            ScriptId = Encoding.ASCII.GetBytes(id),
            TenantId = tenant,
            Counter = counter,
            TargetAid = Hex.Parse(sd),
            Mode = ScriptMode.Batch,
            Steps = steps,
        });

    public static ScriptStep[] Iin(int count) => Enumerable.Range(0, count).Select(_ => Step(GetIinCh1, data: true)).ToArray();

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _dir.Dispose();
    }

    /// <summary>The log lines an agent writes; <see cref="WaitFor"/> blocks (bounded) until one contains a text.</summary>
    public sealed class LogSink : TextWriter
    {
        private readonly StringBuilder _line = new();
        private readonly List<string> _lines = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string[] Lines
        {
            get { lock (_lines) { return _lines.ToArray(); } }
        }

        public override void Write(char value)
        {
            lock (_lines)
            {
                if (value == '\n')
                {
                    _lines.Add(_line.ToString());
                    _line.Clear();
                    Monitor.PulseAll(_lines);
                }
                else if (value != '\r')
                {
                    _line.Append(value);
                }
            }
        }

        public string WaitFor(string text)
        {
            var deadline = DateTime.UtcNow + Wait;
            lock (_lines)
            {
                while (true)
                {
                    string? hit = _lines.Find(l => l.Contains(text, StringComparison.Ordinal));
                    if (hit is not null)
                    {
                        return hit;
                    }

                    var left = deadline - DateTime.UtcNow;
                    Assert.True(left > TimeSpan.Zero, $"no log line with '{text}' within 10 s; log:\n{string.Join("\n", _lines)}");
                    Monitor.Wait(_lines, left);
                }
            }
        }
    }

    /// <summary>Counts the relay's own APDUs (channels, SELECT, steps) in <see cref="Count"/>; the request verifier's
    /// (its channel, SELECT, VERIFY REQUEST; docs/protocol.md §3.9) only in <see cref="Verifications"/>. Can crash after
    /// the card ran APDU n, or hold APDU n until released.</summary>
    public sealed class Counting
    {
        public int Count;

        public int Verifications;

        private int _verifierChannel = -1;

        /// <summary>Gets how many GET DATA commands (INS CA) reached the SE: one per script step in the burst tests.</summary>
        public int GetDataCount => Volatile.Read(ref _getData);

        private int _getData;

        public int CrashAt { get; set; } = -1;

        public int HoldAt { get; set; } = -1;

        public ManualResetEventSlim Held { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public IApduTransport Over(IApduTransport inner) => new Transport(inner, this);

        private sealed class Transport(IApduTransport inner, Counting owner) : IApduTransport
        {
            public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
            {
                byte[] c = command.AsSpan(commandOffset, commandCount).ToArray();
                bool openAssigned = c[1] == 0x70 && c[2] == 0x00 && c[3] == 0x00;
                if (openAssigned || c[1] == 0x3A || (c[1] == 0xA4 && Hex.Of(c).Contains("F06E616E6F525601", StringComparison.Ordinal))
                    || (c[1] == 0x70 && c[2] == 0x80 && c[3] == owner._verifierChannel))
                {
                    Interlocked.Increment(ref owner.Verifications);
                    int got = inner.Transceive(command, commandOffset, commandCount, response, responseOffset);
                    owner._verifierChannel = openAssigned && got == 3 ? response[responseOffset] : c[1] == 0x70 ? -1 : owner._verifierChannel;
                    return got;
                }

                int n = Interlocked.Increment(ref owner.Count);
                if (commandCount > 1 && command[commandOffset + 1] == 0xCA)
                {
                    Interlocked.Increment(ref owner._getData);
                }

                if (n == owner.HoldAt)
                {
                    owner.Held.Set();
                    owner.Release.Wait(Wait);
                }

                int count = inner.Transceive(command, commandOffset, commandCount, response, responseOffset);
                if (n == owner.CrashAt)
                {
                    // The card ran the command; the process dies before the answer is recorded.
                    throw new InvalidOperationException("simulated crash");
                }

                return count;
            }
        }
    }

    /// <summary>A backend's MQTT client subscribed to a tenant's res topic.</summary>
    public sealed class Client : IDisposable
    {
        private readonly BlockingCollection<MqttMessage> _messages = new();
        private readonly MqttNetConnection _connection;
        private readonly string _tenant;
        private readonly string? _user;
        private readonly string? _password;

        public Client(MqttBrokerAddress broker, string tenant, string? user = null, string? password = null)
        {
            _tenant = tenant;
            _user = user;
            _password = password;
            _connection = new MqttNetConnection(broker);
            _connection.MessageReceived += (_, m) => _messages.Add(m);
            Connect();
        }

        public string RequestTopic => AgentTopics.Request("dev1", _tenant);

        public void Connect()
        {
            var deadline = DateTime.UtcNow + Wait;
            while (true)
            {
                try
                {
                    _connection.Connect(new MqttConnectOptions { ClientId = NanoAgent.Host.Mqtt.Access.BrokerClientIds.ForTool(_user, "test"), UserName = _user, Password = _password, CleanSession = true });
                    break;
                }
                catch (MqttConnectionException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(50); // polling for the broker, not timing an assertion
                }
            }

            _connection.Subscribe([AgentTopics.Response("dev1", _tenant)], [MqttQos.AtLeastOnce]);
        }

        public void Send(byte[] payload) => _connection.Publish(RequestTopic, payload, MqttQos.AtLeastOnce, false);

        public void SendRetained(byte[] payload) => _connection.Publish(RequestTopic, payload, MqttQos.AtLeastOnce, true);

        public byte[] NextRaw()
        {
            Assert.True(_messages.TryTake(out MqttMessage? message, Wait), "no result on the res topic within 10 s");
            return message!.Payload;
        }

        public ScriptResult Next() => ReportMessageCodec.DecodeResult(NextRaw());

        public bool Quiet(TimeSpan span) => !_messages.TryTake(out _, span);

        public void Dispose() => _connection.Dispose();
    }
}
