using System.Net;
using System.Net.Sockets;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Mqtt;

/// <summary>
/// An MQTT broker inside the process (MQTTnet.Server, MQTT 3.1.1 and 5) for demos, tests and a field engineer's laptop:
/// listens on 127.0.0.1 (and [::1]) unless told otherwise, keeps retained messages and sends wills, gives a client with an
/// empty client id one of its own, and optionally requires one user name and password, or enforces a
/// <see cref="BrokerAccessPolicy"/>: per-user passwords, per-user client ids (<see cref="BrokerClientIds"/>) and per-topic
/// publish and subscribe rules (docs/broker-security.md).
/// </summary>
public sealed class EmbeddedBroker : IDisposable
{
    private readonly string? _userName;
    private readonly string? _password;
    private MqttServer? _server;
    private int _droppedPublishes;

    /// <summary>
    /// Gets or sets the IPv4 address to listen on: loopback (the default) keeps the broker private to this PC; <see cref="IPAddress.Any"/>
    /// lets boards on the laptop's network reach it (a field engineer's provisioning set-up). IPv6 listens on loopback only.
    /// </summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// Gets the access rules, or null for none (anonymous, or the one user of the constructor). With rules, a client must
    /// log in as one of its users under one of that user's client ids (else CONNACK 0x02 / MQTT 5 0x85); a publish outside
    /// the user's write rules is dropped (MQTT 5: PUBACK 0x87 not authorized; MQTT 3.1.1: acknowledged and not delivered,
    /// as mosquitto does) and a subscription not covered by its read rules is refused (SUBACK 0x80, MQTT 5: 0x87).
    /// </summary>
    public BrokerAccessPolicy? AccessPolicy { get; init; }

    /// <summary>Gets a sink for one line per refused connection, publish or subscription (no passwords), or null.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Gets how many publishes <see cref="AccessPolicy"/> has dropped since the broker was created.</summary>
    public int DroppedPublishes => Volatile.Read(ref _droppedPublishes);

    /// <summary>Creates a broker (not started).</summary>
    /// <param name="port">TCP port, or 0 to pick a free one at <see cref="Start"/>.</param>
    /// <param name="userName">The only accepted user name, or null to accept anonymous clients.</param>
    /// <param name="password">The password for <paramref name="userName"/>.</param>
    public EmbeddedBroker(int port = 0, string? userName = null, string? password = null)
    {
        if (port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "port must be 0..65535");
        }

        Port = port;
        _userName = userName;
        _password = password;
    }

    /// <summary>Gets the TCP port (the chosen one once started, if 0 was asked for).</summary>
    public int Port { get; private set; }

    /// <summary>Gets the address clients connect to.</summary>
    public MqttBrokerAddress Address => new("127.0.0.1", Port, useTls: false);

    /// <summary>Gets a value indicating whether the broker is running.</summary>
    public bool IsRunning => _server?.IsStarted == true;

    /// <summary>Starts listening.</summary>
    /// <exception cref="MqttConnectionException">The port is taken or cannot be bound.</exception>
    public void Start()
    {
        if (_server != null)
        {
            return;
        }

        if (Port == 0)
        {
            Port = FreeLoopbackPort();
        }

        var factory = new MqttServerFactory();
        MqttServerOptions options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(BindAddress)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.IPv6Loopback)
            .WithDefaultEndpointPort(Port)
            .Build();
        IMqttServerAdapter[] listeners = factory.DefaultServerAdapters.Select(make => (IMqttServerAdapter)new ClientIdServerAdapter(make(factory), AssignClientId)).ToArray();
        MqttServer server = factory.CreateMqttServer(options, listeners);
        server.ValidatingConnectionAsync += ValidateAsync;
        if (AccessPolicy != null)
        {
            server.InterceptingPublishAsync += InterceptPublishAsync;
            server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        }

        try
        {
            server.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidOperationException)
        {
            server.Dispose();
            throw new MqttConnectionException($"cannot start the broker on {BindAddress}:{Port}: {e.Message}", e);
        }

        _server = server;
    }

    /// <summary>Stops listening and drops every client (their wills are sent). A stopped broker can be started again on the same port.</summary>
    public void Stop()
    {
        MqttServer? server = Interlocked.Exchange(ref _server, null);
        if (server != null)
        {
            server.StopAsync().GetAwaiter().GetResult();
            server.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose() => Stop();

    /// <summary>Finds a free TCP port on 127.0.0.1 (the OS picks one; it is released at once, so a race is possible but rare).</summary>
    /// <returns>The port.</returns>
    public static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        // MQTT 3.1.1 §3.2.2.3: return code 4 = bad user name or password.
        bool refused = AccessPolicy != null
            ? !AccessPolicy.Authenticate(e.UserName, e.Password)
            : _userName != null && (e.UserName != _userName || e.Password != _password);
        if (refused)
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            Log?.Invoke($"refused connection of client '{e.ClientId}' as user '{e.UserName}': bad user name or password");
            return Task.CompletedTask;
        }

        string clientId = e.ClientId;
        if (string.IsNullOrEmpty(clientId))
        {
            if (e.ProtocolVersion != MqttProtocolVersion.V500)
            {
                // A 3.1.1 clean session got its id from ClientIdChannel already (a persistent one never gets here: MQTTnet's
                // decoder drops it, MQTT 3.1.1 §3.1.3-8); MQTT 3.1 requires 1 to 23 characters.
                e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
                Log?.Invoke($"refused connection of client '' as user '{e.UserName}': an empty client id needs MQTT 3.1.1 with a clean session, or MQTT 5");
                return Task.CompletedTask;
            }

            // MQTT 5 §3.2.2.3.7: the CONNACK carries the id given.
            clientId = e.AssignedClientIdentifier = AssignClientId(e.UserName);
        }

        if (AccessPolicy?.Find(e.UserName) is { } grant && !BrokerClientIds.Owns(grant.User, clientId))
        {
            // MQTT 3.1.1 §3.2.2.3 return code 2 "identifier rejected", MQTT 5 0x85 "client identifier not valid": taking
            // another login's id would close that login's connection (§3.1.4-2), e.g. knock the agent off the broker.
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            Log?.Invoke($"refused connection of client '{clientId}' as user '{e.UserName}': client id not allowed for this login ({grant.User} may connect as {BrokerClientIds.Rule(grant.User)})");
        }

        return Task.CompletedTask;
    }

    private string AssignClientId(string? userName) => BrokerClientIds.Assign(AccessPolicy?.Find(userName)?.User);

    private Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        string topic = e.ApplicationMessage.Topic;
        if (AccessPolicy!.Find(e.UserName)?.MayPublish(topic) != true)
        {
            // MQTT 5 §3.4.2.1: PUBACK 0x87; a 3.1.1 PUBACK carries no reason code: the publisher is acknowledged and nobody receives it.
            e.ProcessPublish = false;
            Interlocked.Increment(ref _droppedPublishes);
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            Log?.Invoke($"dropped publish of user '{e.UserName}' (client '{e.ClientId}') to '{topic}': not in its write rules");
        }

        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        string filter = e.TopicFilter.Topic;
        if (AccessPolicy!.Find(e.UserName)?.MaySubscribe(filter) != true)
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            Log?.Invoke($"refused subscription of user '{e.UserName}' (client '{e.ClientId}') to '{filter}': not covered by its read rules");
        }

        return Task.CompletedTask;
    }
}
