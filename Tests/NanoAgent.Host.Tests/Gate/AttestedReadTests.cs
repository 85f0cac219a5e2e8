using System.Security.Cryptography;
using NanoAgent.Agent.Gating;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Host.Gate;

namespace NanoAgent.Host.Tests.Gate;

/// <summary>
/// Attested reads on the virtual SE05x (docs/se05x.md, docs/gating.md "Attested reads"): the agent's <see cref="GatedAttestations"/>
/// has the SE read its own I2C bus and sign the result with the tenant's attestation key and the backend's freshness; the
/// backend's <see cref="AttestationVerifier"/> accepts it with the key's public part and refuses any change, another request's
/// freshness, another tenant's key, and sensors that are not the tenant's. Applet 3.x and 7.x sign different layouts.
/// </summary>
public class AttestedReadTests
{
    private const string Device = "meter-1";

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void AttestedRead_Verified_AnyChangeOrOtherFreshnessOrKeyRefused(int applet)
    {
        var card = new Se05xTenantCard(applet);
        var mqtt = new FakeMqtt();
        var attestations = new GatedAttestations(mqtt, Device, card.Applet);
        attestations.AddSensor("room", "a", Se05xTenantCard.AuthA, 0x44, [0x01], 2);
        attestations.Start();
        Assert.Contains(GateTopics.AnyAttestRequest(Device), mqtt.Subscriptions);

        byte[] freshness = RandomNumberGenerator.GetBytes(16);
        mqtt.Deliver(GateTopics.AttestRequest(Device, "a"), AttestationEnvelope.WriteRequest("room", freshness));
        Assert.Equal(GateTopics.AttestResponse(Device, "a"), mqtt.Published[^1].Topic);
        byte[] answer = mqtt.Published[^1].Payload;

        var verifier = new AttestationVerifier(Device, "a", card.AttestationPublicKey(Se05xTenantCard.AuthA));
        AttestationVerdict verdict = verifier.Verify(answer, "room", freshness);
        Assert.True(verdict.IsAccepted, verdict.Reason);
        Assert.Equal("0866", Hex.Of(verdict.Value!)); // 21.50 °C in hundredths: the virtual sensor's default

        Assert.False(verifier.Verify(answer, "room", RandomNumberGenerator.GetBytes(16)).IsAccepted); // another request's
        Assert.False(new AttestationVerifier(Device, "a", card.AttestationPublicKey(Se05xTenantCard.AuthB)).Verify(answer, "room", freshness).IsAccepted);
        Assert.False(new AttestationVerifier(Device, "b", card.AttestationPublicKey(Se05xTenantCard.AuthA)).Verify(answer, "room", freshness).IsAccepted);

        // Every single changed byte of the SE's answer, or of the attested command on 7.x (whose signature covers it), is
        // refused; on 3.x the signature covers the answer alone, so only the command's header is checked (docs/se05x.md).
        var envelope = new AttestationEnvelope();
        Assert.True(envelope.TryParse(answer, 0, answer.Length));
        int command = Hex.Of(answer).IndexOf(Hex.Of(envelope.Command), StringComparison.Ordinal) / 2;
        int answerAt = Hex.Of(answer).LastIndexOf(Hex.Of(envelope.Answer), StringComparison.Ordinal) / 2;
        foreach (int i in Enumerable.Range(command, answer.Length - command).Where(i => applet >= 7 || i < command + 4 || i >= answerAt))
        {
            byte[] changed = answer.ToArray();
            changed[i] ^= 0x01;
            Assert.False(verifier.Verify(changed, "room", freshness).IsAccepted, $"byte {i} changed in {Hex.Of(answer)}");
        }
    }

    [Fact]
    public void AttestedRead_AnotherTenantsSensor_RefusedWithoutAskingTheSe()
    {
        var card = new Se05xTenantCard();
        var mqtt = new FakeMqtt();
        var attestations = new GatedAttestations(mqtt, Device, card.Applet);
        attestations.AddSensor("room", "a", Se05xTenantCard.AuthA, 0x44, [0x01], 2);
        attestations.Start();

        mqtt.Deliver(GateTopics.AttestRequest(Device, "b"), AttestationEnvelope.WriteRequest("room", new byte[16]));

        var response = new AttestationEnvelope();
        Assert.True(response.TryParse(mqtt.Published[^1].Payload, 0, mqtt.Published[^1].Payload.Length));
        Assert.Equal(AttestationEnvelope.UnknownSensor, response.Status);
        Assert.Equal(GateTopics.AttestResponse(Device, "b"), mqtt.Published[^1].Topic);
    }
}
