using NanoAgent.Agent.Messages;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Mqtt.Tests.Brokers;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>
/// The agent host and the gate client (<c>backend watch</c>, <c>backend actuate</c>) with a broker that speaks MQTT 3.1.1
/// only (<see cref="Mqtt311OnlyProxy"/> in front of real mosquitto): they fall back from MQTT 5 and work as before.
/// </summary>
public class Mqtt311AgentTests
{
    [Fact]
    public void AgentHostAndGateClient_Mqtt311OnlyBroker_Work()
    {
        using var mosquitto = new MosquittoFixture();
        mosquitto.Start();
        using var broker = new Mqtt311OnlyProxy(mosquitto.Address);
        using var rig = new AgentRig();
        AgentHost host = rig.Start(rig.Options(broker.Address));
        AgentRig.Client acme = rig.Connect(broker.Address);

        acme.Send(AgentRig.Script("acme", 1, "s1", AgentRig.AcmeSd, AgentRig.Iin(1)));
        Assert.Equal(ScriptOutcome.Completed, acme.Next().Outcome);

        using GateBackendClient gate = GateBackendClient.Connect($"mqtt://127.0.0.1:{broker.Address.Port}", null, null, null, "nanoagent/dev1/acme/reading/+");
        gate.Publish("nanoagent/dev1/acme/reading/energy", [1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, gate.Next(AgentRig.Wait)?.Payload);

        Assert.True(host.Mqtt.IsConnected);
        Assert.True(broker.RefusedMqtt5 >= 3, $"{broker.RefusedMqtt5} MQTT 5 CONNECTs refused: the agent, the test client and the gate client each ask once");
    }
}
