namespace NanoAgent.Host.Mqtt.Tests.Brokers;

/// <summary>A broker a test can start, stop and start again on the same port.</summary>
public interface ITestBroker : IDisposable
{
    /// <summary>Gets the address clients connect to.</summary>
    MqttBrokerAddress Address { get; }

    /// <summary>Starts the broker and returns once its port accepts connections.</summary>
    void Start();

    /// <summary>Stops the broker; clients see their connection drop.</summary>
    void Stop();
}
