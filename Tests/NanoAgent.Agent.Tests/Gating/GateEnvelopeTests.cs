using CsCheck;
using NanoAgent.Agent.Gating;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Tests.Gating;

/// <summary>The gating envelopes (docs/gating.md §Envelopes): layout, round trips, and random input never throwing.</summary>
public sealed class GateEnvelopeTests
{
    [Fact]
    public void WriteBody_Reading_HasDocumentedLayout()
    {
        byte[] buffer = new byte[100];
        var w = new BerTlvWriter(buffer, 0, buffer.Length);
        GateEnvelopeWriter.WriteBody(w, "d", "t", "s", new Reading("V", 0x0102, [0xAA]), null!);
        // docs/gating.md example: '80' device, '81' tenant, '82' sensor, '83' unit, '84' timestamp (8), '85' value.
        Assert.Equal("800164 810174 820173 830156 84080000000000000102 8501AA".Replace(" ", string.Empty), Hex.Of(buffer, 0, w.Finish()));
    }

    [Fact]
    public void TryParse_Reading_RoundTripsAndLocatesBody()
    {
        byte[] payload = Hex.Parse("703A 800164 810174 820173 830156 84080000000000000102 8501AA 86080000000000000005 8E10" + new string('1', 32) + "8703ABCDEF");
        var e = new GateEnvelope();
        Assert.True(e.TryParse(payload, 0, payload.Length));
        Assert.Equal(GateEnvelope.ReadingTemplate, e.Template);
        Assert.Equal(("d", "t", "s", "V", 0x0102L, 5UL), (e.Device, e.Tenant, e.Name, e.Unit, e.Timestamp, e.Counter));
        Assert.Equal(2, e.BodyOffset);
        Assert.Equal(25, e.BodyLength);
        Assert.Equal("ABCDEF", Hex.Of(e.Kcv!));
    }

    [Theory]
    [InlineData("7003 800164")] // body cut short
    [InlineData("7106 810174 800164")] // out of order
    [InlineData("710F 800164 810174 820173 8501AA 860100")] // counter not 8 bytes
    [InlineData("7202 9001")] // truncated response
    [InlineData("7300")] // unknown template
    [InlineData("7000 00")] // trailing bytes
    public void TryParse_Malformed_ReturnsFalse(string hex)
    {
        byte[] payload = Hex.Parse(hex);
        Assert.False(new GateEnvelope().TryParse(payload, 0, payload.Length));
    }

    [Fact]
    public void TryParse_RandomBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            new GateEnvelope().TryParse(bytes, 0, bytes.Length);
        }, iter: 5000);
    }

    [Fact]
    public void TryParse_RandomBodiesInsideAValidShell_NeverThrow()
    {
        Gen.Select(Gen.Int[0x70, 0x72], Gen.Byte.Array[0, 120]).Sample((template, inner) =>
        {
            byte[] payload = [(byte)template, (byte)inner.Length, .. inner];
            new GateEnvelope().TryParse(payload, 0, payload.Length);
        }, iter: 5000);
    }

    [Theory]
    [InlineData("nanoagent/dev/ten/actuate/req", "ten")]
    [InlineData("nanoagent/dev/ten/actuate/res", null)]
    [InlineData("nanoagent/other/ten/actuate/req", null)]
    [InlineData("nanoagent/dev//actuate/req", null)]
    [InlineData("nanoagent/dev/ten/actuate/req/x", null)]
    public void TenantOfActuateRequest_ParsesOnlyThisDevicesRequests(string topic, string? tenant) =>
        Assert.Equal(tenant, GateTopics.TenantOfActuateRequest(topic, "dev"));
}
