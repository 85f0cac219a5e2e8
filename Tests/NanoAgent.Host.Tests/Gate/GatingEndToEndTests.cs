using NanoAgent.Agent.Gating;
using NanoAgent.Host.Gate;

namespace NanoAgent.Host.Tests.Gate;

/// <summary>
/// Tenant provisions its gate keys in its own secure session; the agent publishes SE-MAC'd readings the backend verifies;
/// tampered, replayed or foreign-keyed readings are rejected; forged, replayed or foreign commands never reach the relay.
/// Each theory runs on both cards (<see cref="GateTestCard"/>): the GP card with the gate applet and the SE05x with NXP's IoT
/// applet alone.
/// </summary>
public sealed class GatingEndToEndTests : IDisposable
{
    private const string Device = "meter-1";
    private readonly TempDir _dir = new();
    private readonly FakeMqtt _mqtt = new();
    private readonly RecordingRelay _relay = new();
    private GateTestCard _rig = null!;
    private GateTenants _tenants = null!;

    public static TheoryData<string> Cards => GateTestCard.Cards;

    public void Dispose() => _dir.Dispose();

    private void Use(string card)
    {
        _rig = GateTestCard.Create(card);
        _tenants = _rig.Tenants;
    }

    private GateVerifier Verifier(string tenant, string file, string? keyOf = null) =>
        new(Device, tenant, _rig.Label(tenant), _rig.ReadingKey(keyOf ?? tenant), new GateCounterFile(_dir.File(file)), _rig.Card);

    [Theory]
    [MemberData(nameof(Cards))]
    public void Readings_VerifyOnBackend_TamperedReplayedForeignRejected(string card)
    {
        Use(card);
        var publisher = new GatedPublisher(_mqtt, Device, _tenants);
        publisher.AddSensor("energy", new SimulatedMeter(MeterQuantity.Energy, 7, () => 1_780_000_000_000));
        publisher.Subscribe("a", "energy");
        publisher.Subscribe("b", "energy");
        Assert.Equal(2, publisher.PublishAll());
        Assert.Equal(2, publisher.PublishAll());
        Assert.All(_mqtt.Published, p => Assert.Equal(NanoAgent.Agent.Mqtt.MqttQos.AtLeastOnce, p.Qos));
        Assert.Equal("nanoagent/meter-1/a/reading/energy", _mqtt.Published[0].Topic);

        var verifierA = Verifier("a", "a.counter");
        byte[] first = _mqtt.Published[0].Payload;
        GateVerification ok = verifierA.Verify(first);
        Assert.Equal(GateVerdict.Accepted, ok.Verdict);
        Assert.Equal("kWh", ok.Unit);
        Assert.Equal(_rig.FirstCounter, ok.Counter);
        Assert.Equal(GateVerdict.Accepted, verifierA.Verify(_mqtt.Published[2].Payload).Verdict);

        // Replay of an accepted reading, even after a backend restart (the counter is on disk).
        var restarted = Verifier("a", "a.counter");
        Assert.Equal(GateVerdict.Replayed, restarted.Verify(first).Verdict);

        // Tampered value byte.
        byte[] tampered = first.ToArray();
        int valueAt = Array.IndexOf(tampered, (byte)0x85) + 2;
        tampered[valueAt] ^= 0x01;
        Assert.Equal(GateVerdict.Tampered, restarted.Verify(tampered).Verdict);

        // B's reading presented as A's: other tenant id; and A's verifier with B's key on A's reading: wrong key.
        Assert.Equal(GateVerdict.Malformed, restarted.Verify(_mqtt.Published[1].Payload).Verdict);
        var wrongKey = Verifier("a", "x.counter", keyOf: "b");
        Assert.Equal(GateVerdict.WrongKey, wrongKey.Verify(_mqtt.Published[2].Payload).Verdict);
        Assert.Equal(GateVerdict.Malformed, restarted.Verify([0x70, 0x01]).Verdict);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Readings_AcrossACardReset_VerifyWithTheGap_AndTheSkippedCountersStayUnused(string card)
    {
        Use(card);
        var publisher = new GatedPublisher(_mqtt, Device, _tenants);
        publisher.AddSensor("energy", new SimulatedMeter(MeterQuantity.Energy, 7, () => 1_780_000_000_000));
        publisher.Subscribe("a", "energy");
        var verifier = Verifier("a", "a.counter");
        publisher.PublishAll();
        publisher.PublishAll();
        Assert.Equal(_rig.FirstCounter + 1, verifier.Verify(_mqtt.Published[1].Payload).Counter);

        // The card loses its RAM: the gate applet's next reading is above the saved reservation (docs/gating.md, Counters);
        // the SE05x gate selects the applet again and goes on. The backend only needs a counter above the last one it saw,
        // so a gap is accepted.
        _rig.Reset();
        publisher.PublishAll();
        GateVerification afterReset = verifier.Verify(_mqtt.Published[2].Payload);
        Assert.Equal(GateVerdict.Accepted, afterReset.Verdict);
        Assert.Equal(_rig.CounterAfterReset(_rig.FirstCounter + 1), afterReset.Counter);
        Assert.Equal(GateVerdict.Replayed, verifier.Verify(_mqtt.Published[1].Payload).Verdict);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Kcv_IsAnUnauthenticatedHint_IgnoredWhenTheMacVerifiesAndOnlyNamesTheFailureOtherwise(string card)
    {
        Use(card);
        var publisher = new GatedPublisher(_mqtt, Device, _tenants);
        publisher.AddSensor("energy", new SimulatedMeter(MeterQuantity.Energy, 7, () => 1_780_000_000_000));
        publisher.Subscribe("a", "energy");
        Assert.Equal(1, publisher.PublishAll());
        Assert.Equal(1, publisher.PublishAll());
        var verifier = Verifier("a", "a.counter");

        // The KCV ('87', last in the envelope) is outside the MAC (docs/gating.md): changing it alone changes nothing.
        byte[] kcvChanged = _mqtt.Published[0].Payload.ToArray();
        Assert.Equal(0x87, kcvChanged[^5]);
        kcvChanged[^1] ^= 0xFF;
        GateVerification accepted = verifier.Verify(kcvChanged);
        Assert.True(accepted.IsAccepted, accepted.Reason);

        // With a bad MAC it only picks the explanation: our KCV -> tampered, another KCV -> wrong key. Both are rejected.
        byte[] second = _mqtt.Published[1].Payload;
        var e = new GateEnvelope();
        Assert.True(e.TryParse(second, 0, second.Length));
        byte[] tampered = second.ToArray();
        tampered[e.BodyOffset + e.BodyLength - 1] ^= 0x01;
        GateVerification t = verifier.Verify(tampered);
        Assert.Equal(GateVerdict.Tampered, t.Verdict);
        Assert.StartsWith("MAC does not verify", t.Reason);
        tampered[^1] ^= 0xFF;
        Assert.Equal(GateVerdict.WrongKey, verifier.Verify(tampered).Verdict);
        Assert.True(verifier.Verify(second).IsAccepted);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void PublishDue_EachSensorOnItsInterval_AndASensorWithoutValueIsSkipped(string card)
    {
        Use(card);
        var publisher = new GatedPublisher(_mqtt, Device, _tenants);
        publisher.AddSensor("fast", new SimulatedMeter(MeterQuantity.Voltage, 1, () => 1), 1_000);
        publisher.AddSensor("slow", new SimulatedMeter(MeterQuantity.Energy, 2, () => 1), 5_000);
        publisher.AddSensor("manual", new SimulatedMeter(MeterQuantity.Energy, 3, () => 1));
        publisher.AddSensor("empty", new NoValueSensor(), 1_000);
        foreach (string id in new[] { "fast", "slow", "manual", "empty" })
        {
            publisher.Subscribe("a", id);
        }

        Assert.Equal(2, publisher.PublishDue(10_000)); // fast and slow are due at the first call; empty has no value
        Assert.Equal(1, publisher.LastFailures);
        Assert.Equal(0, publisher.PublishDue(10_999));
        Assert.Equal(1, publisher.PublishDue(11_000));
        Assert.Equal(2, publisher.PublishDue(15_000));
        Assert.Equal(16_000, publisher.NextDue);
        Assert.DoesNotContain(_mqtt.Published, p => p.Topic.EndsWith("/manual", StringComparison.Ordinal));
        Assert.Equal(3, publisher.PublishAll() + publisher.LastFailures - 1);
    }

    private sealed class NoValueSensor : ISensor
    {
        public Reading? Read() => null;
    }

    [Fact]
    public void EcdsaReadings_VerifyWithPublicKeyFromGetData()
    {
        // The gate applet only: an SE05x offers attested reads instead (Se05xAgentProcessTests, AttestationEnvelopeTests).
        var card = new TenantCard();
        var tenants = new GateTenants();
        tenants.Add("a", new GateAppletClient(card, TenantCard.GateA, true));
        var publisher = new GatedPublisher(_mqtt, Device, tenants);
        publisher.AddSensor("voltage", new SimulatedMeter(MeterQuantity.Voltage, 1, () => 5));
        publisher.Subscribe("a", "voltage");
        Assert.Equal(1, publisher.PublishAll());
        var verifier = GateVerifier.ForSignatures(Device, "a", TenantCard.GateA, TenantCard.PublicKeyOf(card, TenantCard.GateA), new GateCounterFile(_dir.File("ec.counter")));
        GateVerification v = verifier.Verify(_mqtt.Published[0].Payload);
        Assert.True(v.IsAccepted, v.Reason);
        Assert.InRange(SimulatedMeter.Decode(v.Value!), 224m, 236m);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Commands_OnlyVerifiedOnesReachTheRelay(string card)
    {
        Use(card);
        GateCard c = _rig.Card;
        byte[] gateA = _rig.Label("a"), keyA = _rig.CommandKey("a"), keyB = _rig.CommandKey("b");
        var handler = new GatedCommandHandler(_mqtt, Device, _tenants);
        handler.AddActuator("relay", "a", _relay);
        handler.Start();
        Assert.Contains("nanoagent/meter-1/+/actuate/req", _mqtt.Subscriptions);
        var signerA = new ActuationSigner(Device, "a", gateA, keyA, new GateCounterFile(_dir.File("cmd-a")), c);
        var signerB = new ActuationSigner(Device, "b", _rig.Label("b"), keyB, new GateCounterFile(_dir.File("cmd-b")), c);
        const string ReqA = "nanoagent/meter-1/a/actuate/req", ReqB = "nanoagent/meter-1/b/actuate/req";

        // Rejections first: the relay must stay untouched.
        byte[] forged = ActuationSigner.Build(Device, "a", gateA, keyB, 50, "relay", [0x01], c);
        Expect(ReqA, forged, ActuationStatus.BadMac);
        Expect(ReqA, signerB.Sign("relay", [0x01]), ActuationStatus.WrongTenant); // tenant b's request on a's topic
        Expect(ReqB, signerB.Sign("relay", [0x01]), ActuationStatus.WrongTenant); // b may not drive a's relay
        Expect(ReqA, signerA.Sign("pump", [0x01]), ActuationStatus.UnknownActuator);
        Expect(ReqA, [0x71, 0x03, 0x80, 0x01], ActuationStatus.Malformed);
        Expect(ReqA, ActuationSigner.Build("other", "a", gateA, keyA, 60, "relay", [0x01], c), ActuationStatus.WrongDevice);
        Expect("nanoagent/meter-1/c/actuate/req", ActuationSigner.Build(Device, "c", gateA, keyA, 70, "relay", [0x01], c), ActuationStatus.WrongTenant); // c has no gate
        Assert.Empty(_relay.Applied);

        // A valid command is applied once; the same bytes again (a re-send) get the same answer, byte for byte, and are
        // not applied again; an older counter is refused.
        byte[] close = signerA.Sign("relay", [0x01]);
        Expect(ReqA, close, ActuationStatus.Applied);
        Assert.True(_relay.IsClosed);
        byte[] first = _mqtt.Published[^1].Payload;
        Expect(ReqA, close, ActuationStatus.Applied);
        Assert.Equal(first, _mqtt.Published[^1].Payload);
        Assert.Single(_relay.Applied);
        Expect(ReqA, ActuationSigner.Build(Device, "a", gateA, keyA, 1, "relay", [0x00], c), ActuationStatus.Replayed);
        Expect(ReqA, signerA.Sign("relay", [0x07]), ActuationStatus.ActuatorRefused);
        Assert.Single(_relay.Applied);
        Assert.Equal("nanoagent/meter-1/a/actuate/res", _mqtt.Published[^1].Topic);
    }

    private void Expect(string topic, byte[] payload, ActuationStatus status)
    {
        _mqtt.Deliver(topic, payload);
        var response = new GateEnvelope();
        Assert.True(response.TryParse(_mqtt.Published[^1].Payload, 0, _mqtt.Published[^1].Payload.Length));
        Assert.Equal((int)status, response.Status);
        Assert.Equal(ActuationStatusText.Of(status), response.Text);
    }
}
