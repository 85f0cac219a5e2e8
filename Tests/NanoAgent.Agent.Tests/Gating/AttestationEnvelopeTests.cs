using CsCheck;
using NanoAgent.Agent.Gating;

namespace NanoAgent.Agent.Tests.Gating;

public class AttestationEnvelopeTests
{
    private static readonly byte[] Fresh = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

    [Fact]
    public void Request_RoundTrip()
    {
        byte[] request = AttestationEnvelope.WriteRequest("room", Fresh);
        Assert.Equal("7318" + "8204726F6F6D" + "8810" + Hex.Of(Fresh), Hex.Of(request));
        var e = new AttestationEnvelope();
        Assert.True(e.TryParse(request, 0, request.Length));
        Assert.Equal((AttestationEnvelope.RequestTemplate, "room", Hex.Of(Fresh)), (e.Template, e.Sensor, Hex.Of(e.Freshness!)));
    }

    [Fact]
    public void Response_RoundTrip_WithAndWithoutTheSeAnswer()
    {
        byte[] ok = AttestationEnvelope.WriteResponse("d", "t", "room", Fresh, 0, "attested", [0x80, 0x23], 2, [0x41, 0x00], 2);
        var e = new AttestationEnvelope();
        Assert.True(e.TryParse(ok, 0, ok.Length));
        Assert.Equal(("d", "t", "room", 0, "attested", "8023", "4100"), (e.Device, e.Tenant, e.Sensor, e.Status, e.Text, Hex.Of(e.Command!), Hex.Of(e.Answer!)));

        byte[] refused = AttestationEnvelope.WriteResponse("d", "t", "x", Fresh, AttestationEnvelope.UnknownSensor, "no", null, 0, null, 0);
        Assert.True(e.TryParse(refused, 0, refused.Length));
        Assert.Equal((3, (byte[]?)null), (e.Status, e.Answer));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7300")]
    [InlineData("7306820178880100")]
    [InlineData("7318" + "8204726F6F6D" + "8810" + "0102030405060708090A0B0C0D0E0F10" + "00")]
    [InlineData("7018" + "8204726F6F6D" + "8810" + "0102030405060708090A0B0C0D0E0F10")]
    public void Malformed_Refused(string hex)
    {
        byte[] bytes = Hex.Parse(hex);
        Assert.False(new AttestationEnvelope().TryParse(bytes, 0, bytes.Length));
    }

    [Fact]
    public void AnyBytes_NeverThrow()
    {
        Gen.Byte.Array[0, 200].Sample(bytes => { new AttestationEnvelope().TryParse(bytes, 0, bytes.Length); }, iter: 5000);
    }
}
