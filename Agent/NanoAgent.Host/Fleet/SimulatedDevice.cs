using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Bus;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Fleet;

/// <summary>
/// One simulated device: its own virtual SE (a GP card with the tenant's SD), its own relay and in-memory relay store, the
/// portable agent service, and its own broker connection and login (the client id a real agent takes,
/// <see cref="BrokerClientIds.Agent"/>: its user name, the device id, or <c>nanoagent-{device}</c> without a login; persistent
/// session, retained online/offline status). It has no thread: the simulator's pumps run it when a
/// message arrives (<see cref="Wake"/>).
/// </summary>
public sealed class SimulatedDevice : IDisposable
{
    private readonly ReconnectingMqttConnection _mqtt;
    private readonly AgentService _service;
    private readonly string? _password;
    private int _scheduled;
    private int _reannounce;

    /// <summary>Creates the device (not connected yet).</summary>
    /// <param name="id">The device id.</param>
    /// <param name="serial">Its card's IC serial number.</param>
    /// <param name="tenant">The tenant it serves.</param>
    /// <param name="broker">The broker.</param>
    /// <param name="settings">TLS settings, or null.</param>
    /// <param name="password">Its broker password (user name = device id), or null for no login.</param>
    /// <param name="seLatency">How long each command takes on its SE.</param>
    public SimulatedDevice(string id, uint serial, SimulatedTenant tenant, MqttBrokerAddress broker, MqttNetSettings? settings, string? password, TimeSpan seLatency = default)
    {
        Id = id;
        (CardManager card, byte[] diversification) = SimulatedCardFactory.Create(serial, tenant);
        Card = card;
        Diversification = diversification;
        Link = new CountingCardLink(card, seLatency);
        var tenants = TenantRegistry.Parse($"{tenant.Id} {Convert.ToHexString(tenant.Sd)} {tenant.Channel} {tenant.MaxScriptBytes}");
        var options = new RelayOptions();
        Relay = new ScriptRelay(tenants, new InMemoryRelayStore(), Link, SystemClock.Instance, options, new SeRequestVerifier(Link, id, options.MaxCommandData));
        _password = password;
        _mqtt = new ReconnectingMqttConnection(new MqttNetConnection(broker, settings), SystemClock.Instance,
            new ReconnectOptions { MinDelayMilliseconds = 500, MaxDelayMilliseconds = 10_000 }, ownsInner: true);
        _service = new AgentService(_mqtt, tenants, Relay, id);
        _mqtt.MessageReceived += (_, _) => Wake?.Invoke(this);
        _mqtt.Reconnected += (_, _) =>
        {
            Volatile.Write(ref _reannounce, 1);
            Wake?.Invoke(this);
        };
    }

    /// <summary>Raised (on an MQTT thread) when the device has work: a message arrived or the link came back.</summary>
    public event Action<SimulatedDevice>? Wake;

    /// <summary>Gets the device id.</summary>
    public string Id { get; }

    /// <summary>Gets the virtual card.</summary>
    public CardManager Card { get; }

    /// <summary>Gets the key diversification data its SDs return.</summary>
    public byte[] Diversification { get; }

    /// <summary>Gets the SE link, which counts commands by INS.</summary>
    public CountingCardLink Link { get; }

    /// <summary>Gets the relay.</summary>
    public ScriptRelay Relay { get; }

    /// <summary>Gets the state of the tenant's SD.</summary>
    /// <param name="sd">The SD AID.</param>
    /// <returns>The SD's data, or null.</returns>
    public SecurityDomainData? Domain(byte[] sd) => Link.Inspect(card => card.State.Find(sd)?.Domain);

    /// <summary>Connects and announces the device online (retained), subscribing to its tenants' request topics.</summary>
    /// <exception cref="MqttConnectionException">The broker cannot be reached or refused the login.</exception>
    public void Connect()
    {
        string? user = _password is null ? null : Id;
        _service.Start(new MqttConnectOptions { ClientId = BrokerClientIds.Agent(user, Id), UserName = user, Password = _password, CleanSession = false });
    }

    /// <summary>Marks the device as needing a run; false when a run was already pending.</summary>
    /// <returns>True when the caller must queue it.</returns>
    public bool TrySchedule() => Interlocked.Exchange(ref _scheduled, 1) == 0;

    /// <summary>Handles what arrived (one pump at a time per device): re-announces after a reconnect, runs requests.</summary>
    public void Run()
    {
        Volatile.Write(ref _scheduled, 0);
        if (Interlocked.Exchange(ref _reannounce, 0) == 1)
        {
            try
            {
                _service.Reconnect();
            }
            catch (MqttConnectionException)
            {
                Volatile.Write(ref _reannounce, 1);
            }
        }

        _service.ProcessInbound();
    }

    /// <summary>Returns whether an interactive session is open (its idle timeout needs a run now and then).</summary>
    public bool HasOpenSession => Relay.OpenSessionCount > 0;

    /// <summary>Goes offline (the broker publishes the retained "offline" will for a dropped link; a clean stop publishes it too).</summary>
    public void Dispose()
    {
        try
        {
            _service.Stop();
        }
        catch (MqttConnectionException)
        {
        }

        _mqtt.Dispose();
    }
}
