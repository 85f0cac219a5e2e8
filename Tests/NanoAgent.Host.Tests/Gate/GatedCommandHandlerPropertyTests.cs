using CsCheck;
using NanoAgent.Agent.Gating;
using NanoAgent.Host.Gate;

namespace NanoAgent.Host.Tests.Gate;

/// <summary>Random payloads on the request topic: always answered, never thrown on, never reaching the relay.</summary>
public sealed class GatedCommandHandlerPropertyTests
{
    [Fact]
    public void RandomPayloads_AreAnsweredAndNeverActuate()
    {
        var card = new TenantCard();
        var mqtt = new FakeMqtt();
        var tenants = new GateTenants();
        tenants.Add("a", new GateAppletClient(card, TenantCard.GateA, false));
        var relay = new RecordingRelay();
        var handler = new GatedCommandHandler(mqtt, "meter-1", tenants);
        handler.AddActuator("relay", "a", relay);
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            int before = mqtt.Published.Count;
            Assert.True(handler.Handle("nanoagent/meter-1/a/actuate/req", bytes));
            Assert.Equal(before + 1, mqtt.Published.Count);
            Assert.NotEqual(ActuationStatus.Applied, handler.LastStatus);
        }, iter: 2000, threads: 1);
        Assert.Empty(relay.Applied);
    }
}
