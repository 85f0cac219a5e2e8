namespace NanoAgent.Host.Mqtt.Tests.Brokers;

/// <summary><see cref="EmbeddedBroker"/> behind <see cref="ITestBroker"/>; keeps its port across restarts.</summary>
public sealed class EmbeddedTestBroker(string? userName, string? password) : ITestBroker
{
    private readonly int _port = EmbeddedBroker.FreeLoopbackPort();
    private EmbeddedBroker? _broker;

    /// <inheritdoc />
    public MqttBrokerAddress Address => new("127.0.0.1", _port, useTls: false);

    /// <inheritdoc />
    public void Start()
    {
        _broker = new EmbeddedBroker(_port, userName, password);
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
}
