using System.Text;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Status;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Tests.Agent;

public class KeyStatusTests
{
    [Fact]
    public async Task Start_PublishesRetainedKeyStatusPerTenant()
    {
        using var rig = new AgentRig();
        AgentHost host = rig.Start(rig.Options(null, embeddedPort: 0, keyStatus: true));

        using var watcher = new MqttNetConnection(host.BrokerAddress);
        var received = new TaskCompletionSource<string>();
        watcher.MessageReceived += (_, m) =>
        {
            if (m.Topic == KeyStatusReporter.Topic("dev1"))
            {
                received.TrySetResult(Encoding.UTF8.GetString(m.Payload));
            }
        };
        watcher.Connect(new MqttConnectOptions { ClientId = "key-status-watcher", CleanSession = true });
        watcher.Subscribe([KeyStatusReporter.Topic("dev1")], [MqttQos.AtLeastOnce]);

        string text = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var tenant in rig.Tenants.All())
        {
            Assert.Contains(tenant.Id + " ", text);
        }

        Assert.Equal(text, host.PublishKeyStatus());
    }
}
