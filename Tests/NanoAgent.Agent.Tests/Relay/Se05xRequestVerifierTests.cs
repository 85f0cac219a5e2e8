using CsCheck;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Se05x;
using NanoAgent.Agent.Tenants;
using NanoAgent.Agent.Tests.Gating;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// docs/protocol.md §3.9 on an SE05x: the request key of version KVN is the AES key object authObject | KVN, checked in the
/// applet's default session by MACOneShot validate (AN12413 §4.10.2, 80 03 0D 46) when the MAC input fits one APDU, else
/// streamed through a CMAC crypto object (MACInit validate 80 03 0D 44, MACUpdate 0C, MACFinal 0D; middleware
/// Se05x_API_MACInit/Update/Final), created (80 01 10 00) only when MACInit finds none. Scripted answers here; the host tests
/// run the virtual SE05x.
/// </summary>
public class Se05xRequestVerifierTests
{
    private const string Version = "0307006FFF010B9000";
    private static readonly Tenant Acme = new("acme", 0x7A0A0000, 65536);
    private static readonly byte[] Auth = [0x60, .. Enumerable.Range(0, 16).Select(i => (byte)(0xA0 + i))];

    private static string MacInput(byte[] message) => Hex.Of(Prefix()) + Hex.Of(message);

    private static byte[] Prefix()
    {
        byte[] prefix = new byte[RequestMac.MaxPrefixLength];
        return prefix[..RequestMac.WritePrefix("dev1", "acme", prefix, 0)];
    }

    [Fact]
    public void ShortRequest_OneMacOneShotValidate_WithTheTenantsKeyOfThatVersion()
    {
        var se = new ScriptedSe(Version, "410101 9000");
        var verifier = new Se05xRequestVerifier(new Se05xApplet(se, 1024), "dev1");
        byte[] message = Hex.Parse("01E1068001738101AA");

        Assert.Equal(RequestVerification.Verified, verifier.Verify(Acme, message, message.Length, Auth));

        string data = MacInput(message);
        string tlv = "41047A0A0060" + "420131" + $"43{data.Length / 2:X2}" + data + "4510" + Hex.Of(Auth, 1, 16);
        Assert.Equal($"80030D46{tlv.Length / 2:X2}" + tlv, se.Sent[1]);
        Assert.Equal((1, 0, 0), (verifier.OneShots, verifier.Streamed, verifier.NvmWritingCommands));
    }

    [Theory]
    [InlineData("410102 9000", RequestVerification.BadMac)]
    [InlineData("6986", RequestVerification.NoKey)]
    [InlineData("6A80", RequestVerification.NoKey)]
    [InlineData("6985", RequestVerification.NoKey)]
    [InlineData("6F00", RequestVerification.Unavailable)]
    [InlineData("9000", RequestVerification.Unavailable)]
    public void Answers_MapToVerdicts(string answer, RequestVerification verdict)
    {
        var se = new ScriptedSe(Version, answer);
        var verifier = new Se05xRequestVerifier(new Se05xApplet(se, 1024), "dev1");
        Assert.Equal(verdict, verifier.Verify(Acme, [1, 2, 3], 3, Auth));
    }

    [Fact]
    public void NoAppletOrGpTenantOrBadVersion_NoSeVerdict()
    {
        var se = new ScriptedSe("6A82");
        var verifier = new Se05xRequestVerifier(new Se05xApplet(se, 1024), "dev1");
        Assert.Equal(RequestVerification.Unavailable, verifier.Verify(Acme, [1], 1, Auth));
        Assert.Equal(RequestVerification.NoKey, verifier.Verify(new Tenant("gp", Hex.Parse("F06E616E6F534401"), 1, 4096), [1], 1, Auth));
        Assert.Equal(RequestVerification.NoKey, verifier.Verify(Acme, [1], 1, [0x30, .. Auth[1..]]));
        Assert.Single(se.Sent);
    }

    [Fact]
    public void LongRequest_StreamedThroughACryptoObject_CreatedWhenMissing_ChunksAreThePrefixAndMessage()
    {
        byte[] message = Enumerable.Range(0, 2000).Select(i => (byte)i).ToArray();
        var se = new ScriptedSe(Version, "6985", "9000", "9000", "9000", "9000", "410101 9000");
        var verifier = new Se05xRequestVerifier(new Se05xApplet(se, 65535), "dev1");

        Assert.Equal(RequestVerification.Verified, verifier.Verify(Acme, message, message.Length, Auth));

        Assert.Equal("80030D440A41047A0A006042026E52", se.Sent[1]);
        Assert.Equal("800110000A41026E52420103430131", se.Sent[2]);
        Assert.Equal(se.Sent[1], se.Sent[3]);
        var streamed = new List<byte>();
        foreach (string update in se.Sent.Skip(4).SkipLast(1))
        {
            Assert.StartsWith("80030D0C00", update);
            streamed.AddRange(Value(update, 0x41));
            Assert.Equal("6E52", Hex.Of(Value(update, 0x42)));
            Assert.True(update.Length / 2 - 7 <= 892);
        }

        string final = se.Sent[^1];
        Assert.StartsWith("80030D0D00", final);
        Assert.EndsWith("0000", final);
        streamed.AddRange(Value(final[..^4], 0x41));
        Assert.Equal(Hex.Of(Auth, 1, 16), Hex.Of(Value(final[..^4], 0x43)));
        Assert.Equal(MacInput(message), Hex.Of(streamed.ToArray()));
        Assert.Equal((0, 1), (verifier.OneShots, verifier.Streamed));
        Assert.Equal(se.Sent.Count - 1, verifier.NvmWritingCommands); // everything but the SELECT: MACInit (twice), the creation, the updates and MACFinal
    }

    [Fact]
    public void LongRequest_KeyMissing_NoKeyAfterOneCreateAttempt()
    {
        var se = new ScriptedSe(Version, "6985", "9000", "6985");
        var verifier = new Se05xRequestVerifier(new Se05xApplet(se, 65535), "dev1");
        Assert.Equal(RequestVerification.NoKey, verifier.Verify(Acme, new byte[1500], 1500, Auth));
        Assert.Equal(4, se.Sent.Count);
    }

    [Fact]
    public void LongRequests_DrawOnADailyBudget_BeyondItRefusedWithoutTouchingTheSe_ShortOnesNever()
    {
        // A streamed verification writes NVM before the MAC is known: anyone on the tenant's topic could wear the SE out with
        // long forged requests. Burst 2, 4 a day here.
        var se = new ScriptedSe([Version, .. Enumerable.Repeat("9000", 200)]);
        var clock = new NanoAgent.VirtualSe.Bus.VirtualClock();
        var verifier = new Se05xRequestVerifier(new Se05xApplet(se, 65535), "dev1", clock, 4, 2);
        byte[] longMessage = new byte[1500];

        verifier.Verify(Acme, longMessage, longMessage.Length, Auth);
        verifier.Verify(Acme, longMessage, longMessage.Length, Auth);
        int sent = se.Sent.Count;
        Assert.Equal(RequestVerification.Unavailable, verifier.Verify(Acme, longMessage, longMessage.Length, Auth));
        Assert.Equal((sent, 2, 1), (se.Sent.Count, verifier.Streamed, verifier.StreamsRefused));

        verifier.Verify(Acme, [1, 2, 3], 3, Auth); // one-shot: no budget, no NVM
        Assert.Equal((sent + 1, 1), (se.Sent.Count, verifier.OneShots));

        clock.Sleep(6 * 3600 * 1000); // a quarter of a day: one more
        verifier.Verify(Acme, longMessage, longMessage.Length, Auth);
        Assert.Equal(3, verifier.Streamed);
        verifier.Verify(Acme, longMessage, longMessage.Length, Auth);
        Assert.Equal((3, 2), (verifier.Streamed, verifier.StreamsRefused));

        clock.Sleep(10 * 24 * 3600 * 1000); // ten days: the burst again, never more
        for (int i = 0; i < 5; i++)
        {
            verifier.Verify(Acme, longMessage, longMessage.Length, Auth);
        }

        Assert.Equal((5, 5), (verifier.Streamed, verifier.StreamsRefused));
    }

    [Fact]
    public void AnyAnswers_NeverThrow()
    {
        Gen.Select(Gen.Byte.Array[0, 20].Array[1, 8], Gen.Int[1, 3000]).Sample((answers, size) =>
        {
            var se = new ScriptedSe([Version, .. answers.Select(a => Hex.Of(a))]);
            new Se05xRequestVerifier(new Se05xApplet(se, 65535), "dev1").Verify(Acme, new byte[size], size, Auth);
        }, iter: 500);
    }

    // The value of a tag in the command data of an extended APDU (header 4, 00, Lc 2).
    private static byte[] Value(string apdu, int tag)
    {
        byte[] bytes = Hex.Parse(apdu);
        var reader = new BerTlvReader(bytes, 7, bytes.Length - 7);
        while (reader.Read())
        {
            if (reader.Tag == tag)
            {
                return bytes[reader.ValueOffset..(reader.ValueOffset + reader.ValueLength)];
            }
        }

        throw new InvalidOperationException("no tag " + tag.ToString("X2"));
    }
}
