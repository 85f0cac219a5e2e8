using CsCheck;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Tests.Fakes;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Service;

public class AgentServiceTests
{
    private const string Device = "dev1";

    private readonly InMemoryBroker _broker = new();
    private readonly RelayRig _rig = new();
    private readonly FakeMqttConnection _agentLink;
    private readonly FakeMqttConnection _backend;
    private readonly AgentService _service;

    public AgentServiceTests()
    {
        _agentLink = _broker.NewClient();
        _service = new AgentService(_agentLink, _rig.Tenants, _rig.Relay, Device);
        _service.Start(new MqttConnectOptions { ClientId = "agent-" + Device });
        _backend = _broker.NewClient();
        _backend.Connect(new MqttConnectOptions { ClientId = "backend" });
        _backend.Subscribe(["nanoagent/dev1/+/script/res", "nanoagent/dev1/+/script/progress", "nanoagent/dev1/status"], [MqttQos.AtLeastOnce, MqttQos.AtLeastOnce, MqttQos.AtLeastOnce]);
    }

    private List<ScriptResult> Results(string tenant) => _backend.Received
        .Where(m => m.Topic == AgentTopics.Response(Device, tenant) && ScriptMessageCodec.PeekType(m.Payload) == MessageType.Result)
        .Select(m => ReportMessageCodec.DecodeResult(m.Payload)).ToList();

    private void Send(string tenant, byte[] payload)
    {
        _backend.Publish(AgentTopics.Request(Device, tenant), payload, MqttQos.AtLeastOnce, false);
        _service.ProcessInbound();
    }

    [Fact]
    public void Start_PublishesRetainedOnline_AndTheWillSaysOffline()
    {
        Assert.True(StatusMessageCodec.DecodeStatus(_broker.Retained["nanoagent/dev1/status"]).Online);
        Assert.Equal(["nanoagent/dev1/acme/script/req", "nanoagent/dev1/beta/script/req", "nanoagent/dev1/gamma/script/req"], _agentLink.Filters);

        _broker.GoDown();

        AgentStatus status = StatusMessageCodec.DecodeStatus(_broker.Retained["nanoagent/dev1/status"]);
        Assert.Equal((false, Device), (status.Online, status.DeviceId));
    }

    [Fact]
    public void Request_OnTenantTopic_ResultOnTenantResponseTopic()
    {
        Send("acme", ScriptMessageCodec.Encode(Script("acme", 1, "s1", AcmeSd, Step(GetIinCh1))));

        ScriptResult result = Assert.Single(Results("acme"));
        Assert.Equal((ScriptOutcome.Completed, "s1"), (result.Outcome, System.Text.Encoding.ASCII.GetString(result.ScriptId)));
        Assert.Empty(Results("beta"));
    }

    [Fact]
    public void Request_ClaimingAnotherTenant_RejectedOnTheTopicTenant()
    {
        Send("beta", ScriptMessageCodec.Encode(Script("acme", 1, "s1", AcmeSd, Step(GetIinCh1))));

        Assert.Equal(RejectReason.TenantMismatch, Assert.Single(Results("beta")).Reason);
        Assert.Equal(0, _rig.Transport.Commands);
    }

    [Theory]
    [InlineData("", RejectReason.Malformed)]
    [InlineData("01E103800100", RejectReason.Malformed)]
    [InlineData("02E1028000", RejectReason.Malformed)] // version 02: docs/protocol.md §3, "another version"
    [InlineData("0130028000", RejectReason.Malformed)] // no message tag of §3
    [InlineData("01E400", RejectReason.UnexpectedMessage)] // a well-formed progress message on a request topic
    public void Request_Unreadable_RejectedWithItsReason(string hex, RejectReason reason)
    {
        Send("acme", Hex.Parse(hex));
        Assert.Equal(reason, Assert.Single(Results("acme")).Reason);
        Assert.Equal(0, _rig.Transport.Commands);
    }

    [Fact]
    public void Request_PublishedRetained_RunsOnceWhenPublished_RetainedCopyIgnoredOnResubscribe()
    {
        _backend.Publish(AgentTopics.Request(Device, "gamma"), ScriptMessageCodec.Encode(Script("gamma", 1, "r1", GammaSd, Step("80CA004200"))), MqttQos.AtLeastOnce, true);
        _service.ProcessInbound();
        int commands = _rig.Transport.Commands;

        // MQTT 3.1.1 §3.3.1.3: a new subscription gets the retained copy with RETAIN set; the agent ignores it.
        _broker.GoDown();
        _broker.ComeUp();
        _backend.Connect(new MqttConnectOptions());
        _service.Reconnect();
        _service.ProcessInbound();

        Assert.Contains(_agentLink.Received, m => m.Retained && m.Topic == AgentTopics.Request(Device, "gamma"));
        Assert.Equal(commands, _rig.Transport.Commands);
        Assert.Equal(ScriptOutcome.Completed, Assert.Single(Results("gamma")).Outcome);
    }

    [Fact]
    public void Request_DeliveredTwice_SameResultAndNoExtraApdu()
    {
        byte[] payload = ScriptMessageCodec.Encode(Script("gamma", 1, "g1", GammaSd, Step("80CA004200"), Step("80CA004500")));
        Send("gamma", payload);
        int commands = _rig.Transport.Commands;

        Send("gamma", payload);

        Assert.Equal(commands, _rig.Transport.Commands);
        List<ScriptResult> results = Results("gamma");
        Assert.Equal(2, results.Count);
        Assert.Equal(ReportMessageCodec.Encode(results[0]), ReportMessageCodec.Encode(results[1]));
    }

    [Fact]
    public void Result_WhileBrokerDown_KeptAndSentAfterReconnect()
    {
        _backend.Publish(AgentTopics.Request(Device, "gamma"), ScriptMessageCodec.Encode(Script("gamma", 1, "g1", GammaSd, Step("80CA004200"))), MqttQos.AtLeastOnce, false);
        _broker.GoDown();

        _service.ProcessInbound();
        Assert.Equal(1, _service.PendingCount);
        Assert.Throws<MqttConnectionException>(() => _service.Reconnect());

        _broker.ComeUp();
        _backend.Connect(new MqttConnectOptions());
        _service.Reconnect();

        Assert.Equal(0, _service.PendingCount);
        Assert.Equal(ScriptOutcome.Completed, Assert.Single(Results("gamma")).Outcome);
        Assert.True(StatusMessageCodec.DecodeStatus(_broker.Retained["nanoagent/dev1/status"]).Online);
    }

    [Fact]
    public void LongScript_ProgressOnProgressTopic()
    {
        Send("gamma", ScriptMessageCodec.Encode(Script("gamma", 1, "long", GammaSd, Enumerable.Repeat(Step("80CA004200"), 30).ToArray())));

        var progress = _backend.Received.Where(m => m.Topic == AgentTopics.Progress(Device, "gamma"))
            .Select(m => ReportMessageCodec.DecodeProgress(m.Payload).StepsDone);
        Assert.Equal([10, 20, 30], progress);
    }

    [Fact]
    public void Interactive_OverMqtt_RoundTrip()
    {
        Send("acme", ScriptMessageCodec.Encode(Script("acme", 1, "sess", AcmeSd)));
        Send("acme", Signer("acme").Sign(new ApduRequest { ScriptId = "sess"u8.ToArray(), Sequence = 1, Command = Hex.Parse(GetIinCh1), End = true }));

        var responses = _backend.Received.Where(m => ScriptMessageCodec.PeekType(m.Payload) == MessageType.ApduResponse)
            .Select(m => ReportMessageCodec.DecodeApduResponse(m.Payload)).ToList();
        Assert.Equal([0, 1], responses.Select(r => r.Sequence));
        Assert.Equal("42046E616E6F9000", Hex.Of(responses[1].Response!));
        Assert.Equal(ScriptOutcome.Completed, Assert.Single(Results("acme")).Outcome);
    }

    [Fact]
    public void Interactive_EndResentAfterTheSessionEnded_StoredResultAgain()
    {
        Send("acme", ScriptMessageCodec.Encode(Script("acme", 1, "sess", AcmeSd)));
        byte[] end = Signer("acme").Sign(new ApduRequest { ScriptId = "sess"u8.ToArray(), Sequence = 1, Command = Hex.Parse(GetIinCh1), End = true });
        Send("acme", end);
        int commands = _rig.Transport.Commands;

        Send("acme", end); // the backend missed the result and sends the same bytes again

        List<ScriptResult> results = Results("acme");
        Assert.Equal(2, results.Count);
        Assert.Equal(ReportMessageCodec.Encode(results[0]), ReportMessageCodec.Encode(results[1]));
        Assert.Equal(ScriptOutcome.Completed, results[1].Outcome);
        Assert.Equal(commands, _rig.Transport.Commands);
    }

    [Fact]
    public void Inbound_ABurstOfOneTenant_OthersServedInTurn_EachTenantInItsOwnOrder()
    {
        // docs/reliability.md §2: tenants are served in turn, one request each per round; each tenant keeps its order.
        for (ulong i = 1; i <= 4; i++)
        {
            _backend.Publish(AgentTopics.Request(Device, "acme"), ScriptMessageCodec.Encode(Script("acme", i, "a" + i, AcmeSd, Step(GetIinCh1))), MqttQos.AtLeastOnce, false);
        }

        _backend.Publish(AgentTopics.Request(Device, "beta"), ScriptMessageCodec.Encode(Script("beta", 1, "b1", BetaSd, Step(GetIinCh1))), MqttQos.AtLeastOnce, false);
        _backend.Publish(AgentTopics.Request(Device, "gamma"), ScriptMessageCodec.Encode(Script("gamma", 1, "g1", GammaSd, Step(GetIinCh1))), MqttQos.AtLeastOnce, false);
        _backend.Publish(AgentTopics.Request(Device, "beta"), ScriptMessageCodec.Encode(Script("beta", 2, "b2", BetaSd, Step(GetIinCh1))), MqttQos.AtLeastOnce, false);

        Assert.Equal(7, _service.ProcessInbound());

        string[] order = _backend.Received
            .Where(m => m.Topic.EndsWith("/script/res", StringComparison.Ordinal) && ScriptMessageCodec.PeekType(m.Payload) == MessageType.Result)
            .Select(m => System.Text.Encoding.ASCII.GetString(ReportMessageCodec.DecodeResult(m.Payload).ScriptId)).ToArray();
        Assert.Equal(["a1", "b1", "g1", "a2", "b2", "a3", "a4"], order);
    }

    [Fact]
    public void Inbound_AnyInterleaving_TenantsTakenRoundByRound_EachInItsOwnOrder()
    {
        string[] tenants = ["acme", "beta", "gamma"];
        string[] sds = [AcmeSd, BetaSd, GammaSd];
        Gen.Int[0, 2].Array[1, 12].Sample((int[] arrivals) =>
        {
            var rig = new RelayRig();
            var broker = new InMemoryBroker();
            FakeMqttConnection agent = broker.NewClient();
            var service = new AgentService(agent, rig.Tenants, rig.Relay, Device);
            service.Start(new MqttConnectOptions { ClientId = "agent" });
            FakeMqttConnection backend = broker.NewClient();
            backend.Connect(new MqttConnectOptions { ClientId = "backend" });
            backend.Subscribe(["nanoagent/dev1/+/script/res"], [MqttQos.AtLeastOnce]);
            var sent = new int[3];
            foreach (int t in arrivals)
            {
                sent[t]++;
                backend.Publish(AgentTopics.Request(Device, tenants[t]), ScriptMessageCodec.Encode(Script(tenants[t], (ulong)sent[t], $"{tenants[t]}-{sent[t]}", sds[t], Step(GetIinCh1))), MqttQos.AtLeastOnce, false);
            }

            service.ProcessInbound();

            // Expected: round by round, the tenants in the order they first arrived, each tenant's requests in its own order.
            var firstSeen = arrivals.Distinct().ToArray();
            var expected = new List<string>();
            for (int round = 1; round <= sent.Max(); round++)
            {
                expected.AddRange(firstSeen.Where(t => sent[t] >= round).Select(t => $"{tenants[t]}-{round}"));
            }

            string[] order = backend.Received.Where(m => ScriptMessageCodec.PeekType(m.Payload) == MessageType.Result)
                .Select(m => ReportMessageCodec.DecodeResult(m.Payload))
                .Select(r => { Assert.Equal(ScriptOutcome.Completed, r.Outcome); return System.Text.Encoding.ASCII.GetString(r.ScriptId); }).ToArray();
            Assert.Equal(expected, order);
        }, iter: 40);
    }

    [Fact]
    public void Inbound_Full_DropsAndCounts_TheResendIsHandled()
    {
        _service.MaxInboundBytes = 1; // room for one message (the first always fits), not two
        byte[] first = ScriptMessageCodec.Encode(Script("gamma", 1, "g1", GammaSd, Step("80CA004200")));
        byte[] second = ScriptMessageCodec.Encode(Script("gamma", 2, "g2", GammaSd, Step("80CA004200")));
        _backend.Publish(AgentTopics.Request(Device, "gamma"), first, MqttQos.AtLeastOnce, false);
        _backend.Publish(AgentTopics.Request(Device, "gamma"), second, MqttQos.AtLeastOnce, false);

        Assert.Equal(1, _service.ProcessInbound());
        Assert.Equal(1, _service.DroppedInbound);
        Send("gamma", second); // its sender re-sends the same bytes

        Assert.Equal(["g1", "g2"], Results("gamma").Select(r => System.Text.Encoding.ASCII.GetString(r.ScriptId)));
        Assert.All(Results("gamma"), r => Assert.Equal(ScriptOutcome.Completed, r.Outcome));
    }

    [Fact]
    public void Interactive_OpeningResent_AnsweredAgainWithoutApdu()
    {
        byte[] open = ScriptMessageCodec.Encode(Script("acme", 1, "sess", AcmeSd));
        Send("acme", open);
        int commands = _rig.Transport.Commands;

        Send("acme", open); // a backend that did not see the opening answer sends the same bytes again

        var responses = _backend.Received.Where(m => ScriptMessageCodec.PeekType(m.Payload) == MessageType.ApduResponse).Select(m => m.Payload).ToList();
        Assert.Equal(2, responses.Count);
        Assert.Equal(responses[0], responses[1]);
        Assert.Equal(commands, _rig.Transport.Commands);
        Assert.Empty(Results("acme")); // not "busy": the session goes on
        Send("acme", Signer("acme").Sign(new ApduRequest { ScriptId = "sess"u8.ToArray(), Sequence = 1, Command = Hex.Parse(GetIinCh1), End = true }));
        Assert.Equal(ScriptOutcome.Completed, Assert.Single(Results("acme")).Outcome);
    }

    [Fact]
    public void TenantOfRequest_OnlyThisDevicesRequestTopics()
    {
        Assert.Equal("acme", AgentTopics.TenantOfRequest(Device, "nanoagent/dev1/acme/script/req"));
        Assert.Null(AgentTopics.TenantOfRequest(Device, "nanoagent/dev2/acme/script/req"));
        Assert.Null(AgentTopics.TenantOfRequest(Device, "nanoagent/dev1/acme/x/script/req"));
        Assert.Null(AgentTopics.TenantOfRequest(Device, "nanoagent/dev1/acme/script/res"));
    }
}
