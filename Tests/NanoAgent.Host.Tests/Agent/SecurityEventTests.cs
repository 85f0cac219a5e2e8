using System.Diagnostics;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Security;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Tests.Gate;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>
/// The agent's log gets one line per security event (docs/threat-model.md, "Security events") and a flood of refusals
/// leaves a bounded number of lines, through the real agent host and its broker.
/// </summary>
public sealed class SecurityEventTests
{
    [Fact]
    public void ForgedActuatorCommand_LeavesOneSecurityLine()
    {
        using var dir = new TempDir();
        var log = new AgentRig.LogSink();
        using var fixture = new GatedAgentFixture(dir, log: log);
        using var backend = new MqttNetConnection(fixture.Agent.BrokerAddress);
        var answers = new System.Collections.Concurrent.BlockingCollection<byte[]>();
        backend.MessageReceived += (_, m) => answers.Add(m.Payload);
        backend.Connect(new MqttConnectOptions { ClientId = "forger", CleanSession = true });
        backend.Subscribe([GateTopics.ActuateResponse(GatedAgentFixture.Device, "acme")], [MqttQos.AtLeastOnce]);

        byte[] wrongKey = Hex.Parse("FFEEDDCCBBAA99887766554433221100");
        backend.Publish(GateTopics.ActuateRequest(GatedAgentFixture.Device, "acme"),
            ActuationSigner.Build(GatedAgentFixture.Device, "acme", GatedAgentFixture.GateAid, wrongKey, 1_000, "relay", [0x01]), MqttQos.AtLeastOnce, false);

        Assert.True(answers.TryTake(out byte[]? answer, AgentRig.Wait), "no answer");
        var envelope = new GateEnvelope();
        Assert.True(envelope.TryParse(answer!, 0, answer!.Length));
        Assert.Equal((int)ActuationStatus.BadMac, envelope.Status);
        string line = Assert.Single(log.Lines, l => l.StartsWith("security ", StringComparison.Ordinal));
        Assert.Equal($"security device={GatedAgentFixture.Device} tenant=acme event=actuate refused=\"command relay\" why=\"MAC rejected by the secure element\"", line);
        Assert.Empty(fixture.Relay.Applied);
    }

    [Fact]
    public void FloodOf10000ForgedRequests_ThroughTheBroker_LeavesABoundedLog()
    {
        using var rig = new AgentRig();
        AgentHost host = rig.Start(rig.Options(null, embeddedPort: 0));
        int before = rig.Log.Lines.Length;
        using var attacker = new MqttNetConnection(host.BrokerAddress);
        attacker.Connect(new MqttConnectOptions { ClientId = "flood", CleanSession = true });

        for (int i = 0; i < 10_000; i++)
        {
            // No authenticator (docs/protocol.md §3.9): refused before the SE is asked anything.
            byte[] forged = ScriptMessageCodec.Encode(new ScriptRequest
            {
                ScriptId = BitConverter.GetBytes(i), TenantId = "acme", Counter = (ulong)i + 1, TargetAid = Hex.Parse(AgentRig.AcmeSd),
                Mode = ScriptMode.Batch, Steps = [AgentRig.Step(AgentRig.GetIinCh1)],
            });
            attacker.Publish("nanoagent/dev1/acme/script/req", forged, MqttQos.AtLeastOnce, false);
        }

        var clock = Stopwatch.StartNew();
        while (host.SecurityLog.Lines + host.SecurityLog.Suppressed < 10_000 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(100); // polling the agent's count, not timing an assertion
        }

        Assert.Equal(10_000, host.SecurityLog.Lines + host.SecurityLog.Suppressed);
        string[] added = rig.Log.Lines[before..];
        Assert.Equal(SecurityLog.DefaultLinesPerWindow, added.Count(l => l.StartsWith("security device=dev1 tenant=acme event=request refused=\"script ", StringComparison.Ordinal)));
        Assert.All(added.Where(l => l.StartsWith("security ", StringComparison.Ordinal)), l => Assert.EndsWith("why=\"not authenticated: no valid request MAC verified by the SE\"", l));
        Assert.True(added.Length <= SecurityLog.DefaultLinesPerWindow + 5, string.Join("\n", added.Take(40)));
        Assert.Equal(0, rig.Se.Count); // nothing reached the tenant's channel
    }

    [Fact]
    public void SessionTakenOver_OnABrokerThatAllowsIt_LeavesASecurityLine()
    {
        // An embedded broker without users lets any client take any id (MQTT 5 DISCONNECT 0x8E to the old connection).
        using var rig = new AgentRig();
        AgentHost host = rig.Start(rig.Options(null, embeddedPort: 0));
        using var thief = new MqttNetConnection(host.BrokerAddress);

        thief.Connect(new MqttConnectOptions { ClientId = "nanoagent-dev1", CleanSession = true });

        string line = rig.Log.WaitFor("security device=dev1 tenant=- event=broker");
        Assert.Contains("refused=\"the agent's session", line);
        Assert.Contains("why=\"session taken over", line);
    }
}
