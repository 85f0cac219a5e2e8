using System.Security.Cryptography;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Demo;

/// <summary>
/// Section 6 of the SE05x demo (docs/se05x.md "Gated readings"): the meter's reading MAC'd by the IoT applet with acme's
/// reading key and verified by acme's backend (counter-first MAC input, SE05x KCV), a changed and a replayed reading refused;
/// an attested read of the sensor on the SE's own I2C bus verified with acme's attestation key and a changed one refused;
/// an actuator command verified by the applet with acme's command key, applied once, its re-send not applied again, an
/// older counter and beta's key refused.
/// </summary>
internal sealed class Se05xDemoGating(AgentHost agent, string device, string acmePassword, DemoStory story, Func<string, string> file)
{
    /// <summary>Runs the section.</summary>
    /// <param name="readingKey">acme's reading key (its backend's copy).</param>
    /// <param name="commandKey">acme's command key.</param>
    /// <param name="othersCommandKey">beta's command key (another tenant's).</param>
    /// <param name="attestationKey">acme's attestation key's public part, or null when its session could not read it.</param>
    public void Run(byte[] readingKey, byte[] commandKey, byte[] othersCommandKey, byte[]? attestationKey)
    {
        byte[] label = Se05xScripts.GateLabelAcme;
        AgentGating gating = agent.Gating!;
        gating.Publisher.AddSensor("energy", new SimulatedMeter(MeterQuantity.Energy, seed: 7));
        gating.Publisher.Subscribe("acme", "energy");
        var relay = new RecordingRelay();
        gating.Commands.AddActuator("relay", "acme", relay);
        gating.Commands.Start();
        gating.Attestations!.AddSensor("room", "acme", 0x7A0A0000, 0x44, [0x01], 2);
        gating.Attestations.Start();

        using var watcher = new MqttNetConnection(agent.BrokerAddress);
        var inbox = new MessageInbox(watcher);
        watcher.Connect(new MqttConnectOptions { ClientId = NanoAgent.Host.Mqtt.Access.BrokerClientIds.ForTool("acme", "demo-watch"), UserName = "acme", Password = acmePassword, CleanSession = true });
        watcher.Subscribe(
            [GateTopics.Reading(device, "acme", "energy"), GateTopics.ActuateResponse(device, "acme"), GateTopics.AttestResponse(device, "acme")],
            [MqttQos.AtLeastOnce, MqttQos.AtLeastOnce, MqttQos.AtLeastOnce]);

        gating.PublishReadings();
        byte[] reading = inbox.Next(GateTopics.Reading(device, "acme", "energy"));
        var verifier = new GateVerifier(device, "acme", label, readingKey, new GateCounterFile(file("acme-readings.counter")), GateCard.Se05x);
        GateVerification first = verifier.Verify(reading);
        story.Output.WriteLine(first.IsAccepted
            ? $"  acme backend: reading #{first.Counter >> 32}.{first.Counter & 0xFFFFFFFF} {SimulatedMeter.Decode(first.Value!)} {first.Unit} from '{first.Sensor}' verified"
            : $"  acme backend: reading rejected: {first.Reason}");
        story.Checks.Add(new DemoCheck("acme", "verify a meter reading MAC'd by the SE05x", "accepted", first.IsAccepted ? "accepted" : first.Reason, first.IsAccepted));

        gating.PublishReadings();
        byte[] tampered = inbox.Next(GateTopics.Reading(device, "acme", "energy"));
        var parsed = new GateEnvelope();
        parsed.TryParse(tampered, 0, tampered.Length);
        tampered[parsed.BodyOffset + parsed.BodyLength - 1] ^= 0x01;
        story.Rejected("tampered reading (value changed)", verifier.Verify(tampered), GateVerdict.Tampered, "MAC does not verify");
        story.Rejected("replayed reading", verifier.Verify(reading), GateVerdict.Replayed, "replayed");

        Attest(watcher, inbox, attestationKey);

        var signer = new ActuationSigner(device, "acme", label, commandKey, new GateCounterFile(file("acme-commands.counter")), GateCard.Se05x);
        byte[] close = signer.Sign("relay", [0x01]);
        story.Actuate(watcher, inbox, device, "acme", "close the relay (verified by the SE05x)", close, ActuationStatus.Applied);
        int driven = relay.Applied.Count;
        string again = story.Actuate(watcher, inbox, device, close);
        story.Output.WriteLine($"  attacker: replay acme's command -> {again}, relay driven {relay.Applied.Count - driven} more time(s)");
        story.Checks.Add(new DemoCheck("attacker", "replay acme's command", "not applied again", relay.Applied.Count == driven ? "answered again, not applied" : "APPLIED AGAIN", relay.Applied.Count == driven));
        story.Actuate(watcher, inbox, device, "attacker", "replay an older counter of acme", ActuationSigner.Build(device, "acme", label, commandKey, 0, "relay", [0x01], GateCard.Se05x), ActuationStatus.Replayed);
        story.Actuate(watcher, inbox, device, "beta", "open acme's relay with beta's key", ActuationSigner.Build(device, "acme", label, othersCommandKey, 1_000, "relay", [0x00], GateCard.Se05x), ActuationStatus.BadMac);
        story.Checks.Add(new DemoCheck("relay", "times the relay pin was driven", "1", relay.Applied.Count.ToString(), relay.Applied.Count == 1));
    }

    // docs/se05x.md "Attested reads": the backend's freshness, the SE reads register 01 (temperature) of the sensor at 0x44.
    private void Attest(MqttNetConnection watcher, MessageInbox inbox, byte[]? attestationKey)
    {
        if (attestationKey is null)
        {
            story.Checks.Add(new DemoCheck("acme", "verify an attested read of the room sensor", "attested", "no attestation key read back", false));
            return;
        }

        var verifier = new AttestationVerifier(device, "acme", attestationKey);
        byte[] freshness = RandomNumberGenerator.GetBytes(AttestationEnvelope.FreshnessLength);
        watcher.Publish(GateTopics.AttestRequest(device, "acme"), AttestationEnvelope.WriteRequest("room", freshness), MqttQos.AtLeastOnce, retain: false);
        byte[] answer = inbox.Next(GateTopics.AttestResponse(device, "acme"));
        AttestationVerdict verdict = verifier.Verify(answer, "room", freshness);
        string value = verdict.IsAccepted ? $"{(short)((verdict.Value![0] << 8) | verdict.Value[1]) / 100.0:F2} °C" : verdict.Reason;
        story.Output.WriteLine($"  acme backend: attested read of 'room' -> {(verdict.IsAccepted ? "verified, " + value : "rejected: " + verdict.Reason)}");
        story.Checks.Add(new DemoCheck("acme", "verify an attested read of the room sensor", "attested", verdict.IsAccepted ? "attested " + value : verdict.Reason, verdict.IsAccepted));

        // The MCU changes the value it relays: the SE's signature covers it.
        var e = new AttestationEnvelope();
        e.TryParse(answer, 0, answer.Length);
        byte[] changed = AttestationEnvelope.WriteResponse(device, "acme", "room", freshness, 0, e.Text, e.Command, e.Command!.Length, Flip(e.Answer!), e.Answer!.Length);
        AttestationVerdict forged = verifier.Verify(changed, "room", freshness);
        story.Output.WriteLine($"  acme backend: the same read with a changed value -> {(forged.IsAccepted ? "accepted" : "rejected: " + forged.Reason)}");
        story.Checks.Add(new DemoCheck("attacker", "change an attested value", "rejected: signature", forged.IsAccepted ? "accepted" : forged.Reason, !forged.IsAccepted && forged.Reason.Contains("signature", StringComparison.Ordinal)));
    }

    // The last byte of the read data: TAG_1 results '41 L 01 5A 03 5A 04 5A 00 02 hi lo', so byte 1 + header of the TLV + 9.
    private static byte[] Flip(byte[] answer)
    {
        byte[] copy = (byte[])answer.Clone();
        int header = copy[1] < 0x80 ? 2 : 2 + (copy[1] & 0x7F);
        int resultsLength = copy[1] < 0x80 ? copy[1] : copy[header - 1];
        copy[header + resultsLength - 1] ^= 0x01;
        return copy;
    }
}
