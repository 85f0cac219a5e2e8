using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Runtime;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Tests.Fakes;

namespace NanoAgent.Agent.Tests.Runtime;

public class AgentRuntimeTests
{
    private const string Dev = RuntimeRig.Device;

    [Fact]
    public void Boot_SeAbsent_LogsDiagnosisAndRetriesWithBackoffThenStartsRelayWhenSeAppears()
    {
        var rig = new RuntimeRig();
        rig.Se.Target.Faults.Absent = true;

        AgentRuntime runtime = rig.Start();

        Assert.False(runtime.IsRelayStarted);
        Assert.True(rig.Log.Has("diag FAIL identify: no ACK at 0x48"), string.Join("\n", rig.Log.Lines));
        Assert.True(rig.Log.Has("relay not started, retry in 1000 ms"));
        Assert.Empty(rig.Broker.Log); // nothing announced before the SE answers

        rig.Run(runtime, 1, 500); // before the back-off expires: no new attempt
        Assert.Single(rig.Log.Lines, l => l.StartsWith("SE unreachable", StringComparison.Ordinal));
        rig.Run(runtime, 2, 500);
        Assert.True(rig.Log.Has("retry in 2000 ms"));

        rig.Se.Target.Faults.Absent = false;
        rig.Run(runtime, 4, 1000);

        Assert.True(runtime.IsSeUp);
        Assert.True(runtime.IsRelayStarted);
        Assert.True(runtime.IsBrokerReady);
        Assert.True(rig.Log.Has("diag: wiring check passed"));
        Assert.True(rig.Log.Has("platform SCP03 level 33"));
        Assert.True(StatusMessageCodec.DecodeStatus(rig.Broker.Retained[AgentTopics.Status(Dev)]).Online);
        Assert.True(rig.Watchdog.Feeds >= 8); // within the offline limit every iteration fed it
    }

    [Fact]
    public void Watchdog_SeDeadLongerThanOfflineLimit_IsNoLongerFed()
    {
        var rig = new RuntimeRig();
        rig.Se.Target.Faults.Absent = true;
        AgentRuntime runtime = rig.Start();

        rig.Run(runtime, 20, 1000); // 20 s of 30 s allowed
        int fedWhileRetrying = rig.Watchdog.Feeds;
        Assert.True(fedWhileRetrying >= 20);

        rig.Run(runtime, 40, 1000);

        Assert.True(rig.Watchdog.Feeds < fedWhileRetrying + 12, $"fed {rig.Watchdog.Feeds - fedWhileRetrying} more times");
        int starved = rig.Watchdog.Feeds;
        rig.Run(runtime, 5, 1000);
        Assert.Equal(starved, rig.Watchdog.Feeds);
        Assert.True(rig.Log.Has("watchdog: no longer fed (the SE has been unreachable"));
    }

    [Fact]
    public void ScriptRequest_IsRelayedUnderPlatformScp03_AndAnswered()
    {
        var rig = new RuntimeRig();
        AgentRuntime runtime = rig.Start();
        FakeMqttConnection backend = Backend(rig, AgentTopics.Response(Dev, "acme"));

        // GET DATA IIN on channel 1 (the tenant's channel); any status word is accepted: the point is that it reached the SE and came back.
        ScriptRequest request = RelayRig.Script("acme", 1, "s-1", RuntimeRig.SsdA, RelayRig.Step(RelayRig.GetIinCh1, 0x9000, 0x0000));
        backend.Publish(AgentTopics.Request(Dev, "acme"), ScriptMessageCodec.Encode(request), MqttQos.AtLeastOnce, false);
        rig.Run(runtime, 1, 100);

        MqttMessage answer = Assert.Single(backend.Received, m => m.Topic == AgentTopics.Response(Dev, "acme"));
        ScriptResult result = ReportMessageCodec.DecodeResult(answer.Payload);
        // The virtual SE refuses every plain command but the handshake ('6982'): SELECT passing proves the platform channel.
        Assert.Equal(ScriptOutcome.Completed, result.Outcome);
        Assert.Equal(1, result.StepCount);
    }

    [Fact]
    public void ForgedRequests_TheBoardLogsRateLimitedSecurityLines()
    {
        // docs/threat-model.md, "Security events": the firmware writes the same lines as the host, bounded the same way.
        var rig = new RuntimeRig();
        AgentRuntime runtime = rig.Start();
        FakeMqttConnection backend = Backend(rig, AgentTopics.Response(Dev, "acme"));
        for (int i = 1; i <= 50; i++)
        {
            byte[] unsigned = ScriptMessageCodec.Encode(new ScriptRequest
            {
                ScriptId = System.Text.Encoding.ASCII.GetBytes("f" + i), TenantId = "acme", Counter = (ulong)i, TargetAid = Hex.Parse(RuntimeRig.SsdA),
                Mode = ScriptMode.Batch, Steps = [RelayRig.Step(RelayRig.GetIinCh1)],
            });
            backend.Publish(AgentTopics.Request(Dev, "acme"), unsigned, MqttQos.AtLeastOnce, false);
        }

        rig.Run(runtime, 1, 100);

        Assert.Equal(50, backend.Received.Count(m => m.Topic == AgentTopics.Response(Dev, "acme")));
        Assert.Equal(NanoAgent.Agent.Security.SecurityLog.DefaultLinesPerWindow, rig.Log.Lines.Count(l => l.StartsWith($"security device={Dev} tenant=acme event=request refused=\"script ", StringComparison.Ordinal)));
        rig.Run(runtime, 1, 60_000);
        Assert.True(rig.Log.Has($"security device={Dev} tenant=acme event=request suppressed=40 "));
    }

    [Fact]
    public void Readings_ArePublishedSignedToTheTenant_EveryPeriod()
    {
        var rig = new RuntimeRig();
        AgentRuntime runtime = rig.Start();
        string topic = GateTopics.Reading(Dev, "acme", "meter");

        Assert.Single(rig.Broker.Log, m => m.Topic == topic);
        rig.Run(runtime, 5, 10000);
        Assert.Single(rig.Broker.Log, m => m.Topic == topic);
        rig.Run(runtime, 1, 10000);

        Assert.Equal(2, rig.Broker.Log.Count(m => m.Topic == topic));
        Assert.Equal(2, runtime.ReadingsPublished);
        var envelope = new GateEnvelope();
        byte[] payload = rig.Broker.Log.Last(m => m.Topic == topic).Payload;
        Assert.True(envelope.TryParse(payload, 0, payload.Length));
        Assert.Equal("acme", envelope.Tenant);
    }

    [Fact]
    public void BrokerDrop_ReconnectsWithBackoff_AndAnnouncesOnlineAgain()
    {
        var rig = new RuntimeRig();
        AgentRuntime runtime = rig.Start();
        Assert.True(runtime.IsBrokerReady);

        rig.Broker.GoDown();
        rig.Run(runtime, 3, 300);
        Assert.False(runtime.IsBrokerReady);
        Assert.True(rig.Log.Has("lost: reconnecting"));
        Assert.True(rig.Log.Has("unreachable (The broker is down.): retry in 500 ms"));
        Assert.False(StatusMessageCodec.DecodeStatus(rig.Broker.Retained[AgentTopics.Status(Dev)]).Online); // the will

        rig.Broker.ComeUp();
        rig.Run(runtime, 6, 500);

        Assert.True(runtime.IsBrokerReady);
        Assert.True(StatusMessageCodec.DecodeStatus(rig.Broker.Retained[AgentTopics.Status(Dev)]).Online);
        Assert.Equal(0, runtime.Faults);
    }

    [Fact]
    public void SeLinkFault_DuringARequest_ReopensTheLinkAndPlatformScp03()
    {
        var rig = new RuntimeRig();
        AgentRuntime runtime = rig.Start();
        FakeMqttConnection backend = Backend(rig, AgentTopics.Response(Dev, "acme"));

        rig.Se.Target.Faults.Absent = true;
        ScriptRequest request = RelayRig.Script("acme", 1, "s-2", RuntimeRig.SsdA, RelayRig.Step(RelayRig.GetIinCh1, 0x9000, 0x0000));
        backend.Publish(AgentTopics.Request(Dev, "acme"), ScriptMessageCodec.Encode(request), MqttQos.AtLeastOnce, false);
        rig.Run(runtime, 1, 100);
        Assert.False(runtime.IsSeUp);
        Assert.True(rig.Log.Has("SE link fault"));

        rig.Se.Target.Faults.Absent = false;
        rig.Run(runtime, 4, 1000);

        Assert.True(runtime.IsSeUp);
        Assert.Equal(2, rig.Log.Lines.Count(l => l.StartsWith("SE up", StringComparison.Ordinal)));
        Assert.Equal(0, runtime.Faults);
    }

    [Fact]
    public void SeLinkFault_DuringAPublish_IsNotALoopFault_AndReadingsResumeAfterReopen()
    {
        var rig = new RuntimeRig();
        AgentRuntime runtime = rig.Start();
        Assert.Equal(1, runtime.ReadingsPublished);

        rig.Se.Target.Faults.Absent = true;
        rig.Run(runtime, 1, 60000);
        Assert.False(runtime.IsSeUp);
        Assert.Equal(0, runtime.Faults);

        rig.Se.Target.Faults.Absent = false;
        rig.Run(runtime, 3, 1000);

        Assert.True(runtime.IsSeUp);
        Assert.Equal(2, runtime.ReadingsPublished);
    }

    [Fact]
    public void Watchdog_LoopFailingEveryIteration_IsNoLongerFed_AndFedAgainOnceHealthy()
    {
        var rig = new RuntimeRig();
        rig.Config += "\nloop.period_ms = 100";
        AgentRuntime runtime = rig.Start();
        rig.Sensor.Broken = true;

        rig.Run(runtime, 1, 60000);
        int fed = rig.Watchdog.Feeds;
        rig.Run(runtime, 5, 100);

        Assert.True(runtime.Faults >= AgentRuntime.MaxConsecutiveFaults);
        Assert.True(rig.Watchdog.Feeds <= fed + AgentRuntime.MaxConsecutiveFaults - 1, $"fed {rig.Watchdog.Feeds - fed} times while failing");
        Assert.True(rig.Log.Has("agent error: InvalidOperationException: sensor bus stuck"));
        Assert.True(rig.Log.Has("watchdog: no longer fed (3 failed iterations in a row)"));

        rig.Sensor.Broken = false;
        int starved = rig.Watchdog.Feeds;
        rig.Run(runtime, 2, 100);
        Assert.Equal(starved + 2, rig.Watchdog.Feeds);
    }

    private static FakeMqttConnection Backend(RuntimeRig rig, string topic)
    {
        FakeMqttConnection backend = rig.Broker.NewClient();
        backend.Connect(new MqttConnectOptions { ClientId = "backend" });
        backend.Subscribe([topic], [MqttQos.AtLeastOnce]);
        return backend;
    }
}
