using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Tests.Brokers;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>
/// A broker a test can stop and start again on the same port: Eclipse mosquitto (the shared
/// <see cref="MosquittoFixture"/> of Tests/NanoAgent.Host.Mqtt.Tests, linked in; a missing binary fails the test) or the
/// <see cref="EmbeddedBroker"/>.
/// </summary>
public sealed class TestBroker : IDisposable
{
    private readonly EmbeddedBroker? _embedded;
    private readonly MosquittoFixture? _mosquitto;

    public TestBroker(string kind)
    {
        Kind = kind;
        if (kind == "embedded")
        {
            Port = EmbeddedBroker.FreeLoopbackPort();
            _embedded = new EmbeddedBroker(Port);
        }
        else
        {
            _mosquitto = new MosquittoFixture();
            Port = _mosquitto.Port;
        }

        Start();
    }

    public string Kind { get; }

    public int Port { get; }

    /// <summary>Gets the lines mosquitto wrote so far (its log), oldest first; none for the embedded broker.</summary>
    public string[] Output => _mosquitto is null ? [] : _mosquitto.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public MqttBrokerAddress Address => new("127.0.0.1", Port, useTls: false);

    public void Start()
    {
        _embedded?.Start();
        _mosquitto?.Start();
    }

    public void Stop()
    {
        _embedded?.Stop();
        _mosquitto?.Stop();
    }

    public void Dispose()
    {
        _embedded?.Dispose();
        _mosquitto?.Dispose();
    }
}
