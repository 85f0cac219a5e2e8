using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Tests.Scp03;

/// <summary>
/// Vectors from kaoh/globalplatform src/scp03Test.c (tests mutual_auth, get_status, get_status_enc_mac, get_status_aes_192,
/// and the level-33 delete_application example quoted in /work/shared/protocol-facts.md).
/// </summary>
public class Scp03KaohVectorsTests
{
    private const string Enc = "F995D0A069335C7DF42E590317FFEA6D";
    private const string Mac = "58563362EC5A4541ABCD32B34B1EAE7D";
    private const string Dek = "0A02A6D687406DCFA09DC70B3EDB7E38";
    private const string IsdAid = "A000000151000000";

    [Theory]
    [InlineData(Enc, 0x25, "B6E362D0F90F8101")] // get_status
    [InlineData(Enc, 0x1E, "3C80C2CC87EB3A35")] // mutual_auth
    [InlineData(Enc, 0x85, "A7EFE2BFDB3A27A6")] // get_status_enc_mac
    [InlineData("DE2A3629CBC24E8D8869E82C8B4C0D874D88166B6F8A1C12", 0x12, "726B1E22EED4F4BB")] // get_status_aes_192
    public void ComputeCardChallenge_KaohCards_MatchChallengeInResponse(string key, int counter, string expected)
    {
        byte[] k = Hex.Parse(key);
        byte[] aid = Hex.Parse(IsdAid);
        byte[] challenge = new byte[8];

        Scp03Kdf.ComputeCardChallenge(new AesCmac(new BouncyCastleAes(k, 0, k.Length)), counter, aid, 0, aid.Length, 8, challenge, 0);

        Assert.Equal(expected, Hex.Of(challenge));
    }

    [Fact]
    public void MutualAuth_KaohVector_SessionKeysAndExternalAuthenticate()
    {
        var session = Authenticate(Keys(), "9BD6BF878FB8E991", "00000000000000000000 300370 3C80C2CC87EB3A35 E4EDBA35E629C336 00001E 9000");
        byte[] ea = new byte[32];

        int n = session.BuildExternalAuthenticate(0x03, ea, 0);

        Assert.Equal("848203001023EBFEDC579D22CDCDB6A25A5FF7891F", Hex.Of(ea, 0, n));
        Assert.Equal("D83EE38C9954C8078987A5E9EE6AB13C", Hex.Of(session.SessionKeys!.EncKey));
        Assert.Equal("6FF37716E0413065E8DFD08BF1E9EC5E", Hex.Of(session.SessionKeys.MacKey));
        Assert.Equal("0254C786E57ACA8982670C1C1A05FF12", Hex.Of(session.SessionKeys.RMacKey));
    }

    [Fact]
    public void Wrap_KaohGetStatusLevel03_EncryptsAndMacs()
    {
        var session = Authenticate(Keys(), "A6D40AEC55FE7986", "00000000000000000000 300370 B6E362D0F90F8101 C34B7B21A7455320 000025 9000");
        Open(session, 0x03, "84820300103D958B36BB38AE5896A559345F81471A");

        Assert.Equal("84F2400218D18C9A7BB2B1B1C7ED1B24E1B1307CB9D71A66ABC55CBC3A00", WrapHex(session, "80F24002024F0000"));
    }

    [Fact]
    public void Wrap_KaohGetStatusEncMac_FourCommandsChainCounterAndMac()
    {
        var session = Authenticate(Keys(), "DA2390D378D94B0A", "00000000000000000000 300370 A7EFE2BFDB3A27A6 EAE3FF0EA0D17524 000085 9000");
        Open(session, 0x03, "8482030010953EEC5B4A81BF393ADC2ADFD638827A");

        Assert.Equal("84F2200218705C4D16C7BAC5496AEE0ED9963222455472F3CFAC97BCCA00", WrapHex(session, "80F22002024F0000"));
        Assert.Equal("84F240021834AF0FEDDAE7C07308600587E1B1E6EC87811520D9A6AAAD00", WrapHex(session, "80F24002024F0000"));
        Assert.Equal("84F28002188D6CFE9EB359EACB9594D8EC161E45C10ED0138E34A10BF300", WrapHex(session, "80F28002024F0000"));
        Assert.Equal("84F21002183D98B6DE9CBF3905EAE4FAF5E141C58DAB7013D1076745C700", WrapHex(session, "80F21002024F0000"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(19)]
    public void Wrap_KaohGetStatusEncMac_OnAnotherChannel_SameDataAndMacAsTheBasicChannel(int channel)
    {
        // Amd D §6.2.4: the C-MAC takes the class byte with the logical channel number zero, so the published commands
        // (channel 0) carry the same data and MAC on every channel; only the class byte's channel bits differ.
        var session = Authenticate(Keys(), "DA2390D378D94B0A", "00000000000000000000 300370 A7EFE2BFDB3A27A6 EAE3FF0EA0D17524 000085 9000");
        Open(session, 0x03, "8482030010953EEC5B4A81BF393ADC2ADFD638827A");
        string cla = $"{GpClassByte.OnChannel(0x80, channel):X2}";
        string secured = $"{GpClassByte.OnChannel(0x84, channel):X2}";

        Assert.Equal(secured + "F2200218705C4D16C7BAC5496AEE0ED9963222455472F3CFAC97BCCA00", WrapHex(session, cla + "F22002024F0000"));
        Assert.Equal(secured + "F240021834AF0FEDDAE7C07308600587E1B1E6EC87811520D9A6AAAD00", WrapHex(session, cla + "F24002024F0000"));
        Assert.Equal(secured + "F28002188D6CFE9EB359EACB9594D8EC161E45C10ED0138E34A10BF300", WrapHex(session, cla + "F28002024F0000"));
        Assert.Equal(secured + "F21002183D98B6DE9CBF3905EAE4FAF5E141C58DAB7013D1076745C700", WrapHex(session, cla + "F21002024F0000"));
    }

    [Fact]
    public void Wrap_KaohAes192_ExternalAuthenticateAndGetStatus()
    {
        byte[] key = Hex.Parse("DE2A3629CBC24E8D8869E82C8B4C0D874D88166B6F8A1C12");
        var keys = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x00, key);
        var session = Authenticate(keys, "4157115CAD7D2FE7", "00008301A8186727A822 020310 726B1E22EED4F4BB AB21001BFD4B6F02 000012 9000");
        Open(session, 0x03, "84820300109B126D1B1557297F3C06766CA9ACBD27");

        Assert.Equal("84F2200218110C222888859059700E5D42AD65F41299B0BFFC03BF79A800", WrapHex(session, "80F22002024F0000"));
    }

    [Fact]
    public void ForPrecomputed_KaohGetStatus_ProducesTheSameCommandsOffline()
    {
        // The back end knows only the keys, the counter the card will report (0x25), the ISD AID and i = 70.
        byte[] aid = Hex.Parse(IsdAid);
        var session = Scp03HostSession.ForPrecomputed(Keys(), 0x25, aid, 0, aid.Length, 0x70, Hex.Parse("A6D40AEC55FE7986"), 0);
        byte[] apdu = new byte[64];

        Assert.Equal("8050300008A6D40AEC55FE798600", Hex.Of(apdu, 0, session.BuildInitializeUpdate(apdu, 0)));
        Assert.Equal("84820300103D958B36BB38AE5896A559345F81471A", Hex.Of(apdu, 0, session.BuildExternalAuthenticate(0x03, apdu, 0)));
        byte[] cryptogram = new byte[8];
        session.GetExpectedCardCryptogram(cryptogram, 0);
        Assert.Equal("C34B7B21A7455320", Hex.Of(cryptogram));
        Assert.Equal("84F2400218D18C9A7BB2B1B1C7ED1B24E1B1307CB9D71A66ABC55CBC3A00", WrapHex(session, "80F24002024F0000"));
    }

    [Fact]
    public void Wrap_KaohLevel33Example_MatchesCommandsAndUnwrapsResponses()
    {
        // protocol-facts.md example, followed by the three INSTALL-like commands of the same kaoh test (R-MAC and R-ENC).
        var session = new Scp03HostSession(Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0, Hex.Parse(Scp03KdfTests.Key)), 8);
        session.BuildInitializeUpdate(Hex.Parse(Scp03KdfTests.HostChallenge), 0, new byte[32], 0);
        byte[] iu = Hex.Parse("00010203040506070809 000370 A5874C57119B976B F94879E36F29E039 000001 9000");
        session.ProcessInitializeUpdateResponse(iu, 0, iu.Length);
        Open(session, 0x33, "8482330010A75F1CD48F3B93DFA57E690937921F92");
        string plain = "80400000A5" + string.Concat(Enumerable.Repeat("48656C6C6F20576F726C64", 15));

        string wrapped = WrapHex(session, plain);

        Assert.Equal("84400000B80422E602DD973125102DDE05875CA115C04D811A40593DB9D9480927CC9A249BD118FB6C674A86BF70D0CD898153A438DAC4CD302B74876D718481FCDB9D39944453BEBD28832300C99FB8035D2DFF3E3CB3F5DAD568330127929207A179226EB5C6C52341A297CB2C8F25E481F1CE6EF6EADD2410E70EB268AF48D29CB20CFCB8448DE83235ADA96A5EEED379C0701924707DA111DBB9039ACF8E19F1CE62AA4EF26D7C871E842ED815245F7F2D9A9A87D9BDA54B188DCB", wrapped);
        byte[] response = Hex.Parse("20F075017DE9F58A1E3D7567CBE71140AC0EBFA376881449A0665992BB997C6A145AC6BE3B642931C2652F62B85532B45689EB3E37602E6276B72BABE6A0FF00BEB02473EF22792A37F70D17F7715F103528CC6122880FC86AE75E5F085F1B37492FF33DD148162DAFA203D973F3A4579F8B547FACB14034641FC817BBDF119A9EB0F24DED4F9CE3640B46189EE2138B405446FA4F154D4F9600B288299642BEF5A387B71922A0CAD4D77D9596E8F417A6DB42CFE2C1081E9000");
        byte[] output = new byte[response.Length];
        int n = session.Unwrap(response, 0, response.Length, output, 0);
        Assert.Equal("9000", Hex.Of(output, n - 2, 2));
        Assert.Equal(plain.Substring(10), Hex.Of(output, 0, n - 2));
    }

    private static Scp03StaticKeys Keys() =>
        new(BouncyCastleAesFactory.Instance, 0x30, Hex.Parse(Enc), Hex.Parse(Mac), Hex.Parse(Dek));

    private static Scp03HostSession Authenticate(Scp03StaticKeys keys, string hostChallenge, string response)
    {
        var session = new Scp03HostSession(keys, 8);
        byte[] iu = new byte[32];
        session.BuildInitializeUpdate(Hex.Parse(hostChallenge), 0, iu, 0);
        byte[] rsp = Hex.Parse(response);
        session.ProcessInitializeUpdateResponse(rsp, 0, rsp.Length);
        return session;
    }

    private static void Open(Scp03HostSession session, byte level, string expectedExternalAuthenticate)
    {
        byte[] ea = new byte[64];
        Assert.Equal(expectedExternalAuthenticate, Hex.Of(ea, 0, session.BuildExternalAuthenticate(level, ea, 0)));
        session.ProcessExternalAuthenticateResponse(Hex.Parse("9000"), 0, 2);
    }

    private static string WrapHex(Scp03HostSession session, string plain)
    {
        byte[] command = Hex.Parse(plain);
        byte[] output = new byte[300];
        return Hex.Of(output, 0, session.Wrap(command, 0, command.Length, output, 0));
    }
}
