using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Mqtt.Tests.Brokers;

/// <summary><see cref="EmbeddedBroker"/> behind <see cref="ITestBroker"/>; keeps its port across restarts.</summary>
public sealed class EmbeddedTestBroker : ITestBroker
{
    private readonly int _port = EmbeddedBroker.FreeLoopbackPort();
    private readonly string? _userName;
    private readonly string? _password;
    private readonly BrokerAccessPolicy? _policy;
    private EmbeddedBroker? _broker;

    /// <summary>A broker with one user (or anonymous).</summary>
    public EmbeddedTestBroker(string? userName, string? password)
    {
        _userName = userName;
        _password = password;
    }

    /// <summary>A broker enforcing access rules.</summary>
    public EmbeddedTestBroker(BrokerAccessPolicy policy) => _policy = policy;

    /// <inheritdoc />
    public MqttBrokerAddress Address => new("127.0.0.1", _port, useTls: false);

    /// <summary>Gets the refusals the broker logged.</summary>
    public List<string> Refusals { get; } = [];

    /// <inheritdoc />
    public void Start()
    {
        _broker = new EmbeddedBroker(_port, _userName, _password) { AccessPolicy = _policy, Log = Log };
        _broker.Start();
    }

    /// <inheritdoc />
    public void Stop()
    {
        _broker?.Dispose();
        _broker = null;
    }

    /// <inheritdoc />
    public void Dispose() => Stop();

    private void Log(string line)
    {
        lock (Refusals)
        {
            Refusals.Add(line);
        }
    }
}
