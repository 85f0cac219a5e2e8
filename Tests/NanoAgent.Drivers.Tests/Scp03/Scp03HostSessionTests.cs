using CsCheck;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Tests.Scp03;

public class Scp03HostSessionTests
{
    // kaoh/globalplatform scp03Test.c example (see /work/shared/protocol-facts.md): i = 0x70, so a sequence counter follows.
    private const string InitializeUpdateResponse = "00010203040506070809 000370 A5874C57119B976B F94879E36F29E039 000001 9000";

    [Fact]
    public void BuildInitializeUpdate_KaohExample_HeaderKvnChallengeAndLe()
    {
        var session = new Scp03HostSession(Keys(0x30), 8);
        byte[] apdu = new byte[32];

        int n = session.BuildInitializeUpdate(Hex.Parse(Scp03KdfTests.HostChallenge), 0, apdu, 0);

        Assert.Equal("8050300008" + Scp03KdfTests.HostChallenge + "00", Hex.Of(apdu, 0, n));
        Assert.Equal(Scp03SessionState.InitializeUpdateSent, session.State);
    }

    [Fact]
    public void ProcessInitializeUpdateResponse_KaohExample_VerifiesCryptogramAndReadsSequenceCounter()
    {
        var session = Started(Keys(0x00));
        byte[] response = Hex.Parse(InitializeUpdateResponse);

        session.ProcessInitializeUpdateResponse(response, 0, response.Length);

        Assert.Equal(Scp03SessionState.CardAuthenticated, session.State);
        Assert.Equal(0x70, session.IParameter);
        Assert.Equal(1, session.SequenceCounter);
    }

    [Fact]
    public void BuildExternalAuthenticate_KaohExampleLevel33_MatchesPublishedCommand()
    {
        var session = Started(Keys(0x00));
        byte[] response = Hex.Parse(InitializeUpdateResponse);
        session.ProcessInitializeUpdateResponse(response, 0, response.Length);
        byte[] apdu = new byte[64];

        int n = session.BuildExternalAuthenticate(0x33, apdu, 0);

        Assert.Equal("8482330010A75F1CD48F3B93DFA57E690937921F92", Hex.Of(apdu, 0, n));
        Assert.Equal(Scp03SessionState.ExternalAuthenticateSent, session.State);
        session.ProcessExternalAuthenticateResponse(Hex.Parse("9000"), 0, 2);
        Assert.Equal(Scp03SessionState.Open, session.State);
    }

    [Fact]
    public void ProcessInitializeUpdateResponse_FlippedCryptogram_ThrowsCardCryptogramMismatchAndCloses()
    {
        var session = Started(Keys(0x00));
        byte[] response = Hex.Parse(InitializeUpdateResponse);
        response[21] ^= 0x01;

        var ex = Assert.Throws<SecureChannelException>(() => session.ProcessInitializeUpdateResponse(response, 0, response.Length));

        Assert.Equal(SecureChannelError.CardCryptogramMismatch, ex.Error);
        Assert.Equal(Scp03SessionState.Closed, session.State);
    }

    [Theory]
    [InlineData("6A88", SecureChannelError.InitializeUpdateRejected)]
    [InlineData("00010203040506070809 000370 A5874C57119B976B F94879E36F29E039 9000", SecureChannelError.InvalidInitializeUpdateResponse)]
    [InlineData("00010203040506070809 000270 A5874C57119B976B F94879E36F29E039 000001 9000", SecureChannelError.UnsupportedProtocol)]
    [InlineData("00010203040506070809 000371 A5874C57119B976B F94879E36F29E039 000001 9000", SecureChannelError.UnsupportedProtocol)]
    [InlineData("00010203040506070809 310370 A5874C57119B976B F94879E36F29E039 000001 9000", SecureChannelError.KeyVersionMismatch)]
    public void ProcessInitializeUpdateResponse_BadResponses_ReportWhy(string hex, SecureChannelError expected)
    {
        var session = Started(Keys(0x30));
        byte[] response = Hex.Parse(hex);

        var ex = Assert.Throws<SecureChannelException>(() => session.ProcessInitializeUpdateResponse(response, 0, response.Length));

        Assert.Equal(expected, ex.Error);
    }

    [Fact]
    public void BuildExternalAuthenticate_LevelNotAllowed_Throws()
    {
        var session = Started(Keys(0x00));
        byte[] response = Hex.Parse(InitializeUpdateResponse);
        session.ProcessInitializeUpdateResponse(response, 0, response.Length);

        var ex = Assert.Throws<SecureChannelException>(() => session.BuildExternalAuthenticate(0x02, new byte[64], 0));
        Assert.Equal(SecureChannelError.InvalidSecurityLevel, ex.Error);
    }

    [Fact]
    public void ProcessExternalAuthenticateResponse_6982_ThrowsAndCloses()
    {
        var session = Started(Keys(0x00));
        byte[] response = Hex.Parse(InitializeUpdateResponse);
        session.ProcessInitializeUpdateResponse(response, 0, response.Length);
        session.BuildExternalAuthenticate(0x01, new byte[64], 0);

        var ex = Assert.Throws<SecureChannelException>(() => session.ProcessExternalAuthenticateResponse(Hex.Parse("6982"), 0, 2));

        Assert.Equal(SecureChannelError.ExternalAuthenticateRejected, ex.Error);
        Assert.Throws<SecureChannelException>(() => session.Wrap(Hex.Parse("80CA006600"), 0, 5, new byte[64], 0));
    }

    [Fact]
    public void Wrap_BeforeOpen_ThrowsInvalidState()
    {
        var ex = Assert.Throws<SecureChannelException>(() => new Scp03HostSession(Keys(0), 8).Wrap(Hex.Parse("80CA006600"), 0, 5, new byte[64], 0));
        Assert.Equal(SecureChannelError.InvalidState, ex.Error);
    }

    [Fact]
    public void ForPrecomputed_SameInputs_GiveSameScriptAsInteractiveSession()
    {
        // A card with pseudo-random challenges: the back end derives the card challenge from counter and AID.
        byte[] aid = Hex.Parse("A000000151000000");
        byte[] hostChallenge = Hex.Parse(Scp03KdfTests.HostChallenge);
        var precomputed = Scp03HostSession.ForPrecomputed(Keys(0x30), 0x00002A, aid, 0, aid.Length, 0x70, hostChallenge, 0);
        byte[] iu = new byte[32];
        byte[] ea = new byte[64];
        int iuLength = precomputed.BuildInitializeUpdate(iu, 0);
        int eaLength = precomputed.BuildExternalAuthenticate(0x33, ea, 0);
        Assert.Equal(Scp03SessionState.Open, precomputed.State);

        // The same session run interactively against the response such a card would give.
        byte[] cardChallenge = new byte[8];
        var prf = new NanoAgent.Drivers.Crypto.AesCmac(new BouncyCastleAes(Hex.Parse(Scp03KdfTests.Key), 0, 16));
        Scp03Kdf.ComputeCardChallenge(prf, 0x2A, aid, 0, aid.Length, 8, cardChallenge, 0);
        byte[] cryptogram = new byte[8];
        precomputed.GetExpectedCardCryptogram(cryptogram, 0);
        byte[] response = Hex.Parse("00000000000000000000 300370" + Hex.Of(cardChallenge) + Hex.Of(cryptogram) + "00002A 9000");
        var live = new Scp03HostSession(Keys(0x30), 8);
        byte[] liveIu = new byte[32];
        Assert.Equal(Hex.Of(iu, 0, iuLength), Hex.Of(liveIu, 0, live.BuildInitializeUpdate(hostChallenge, 0, liveIu, 0)));
        live.ProcessInitializeUpdateResponse(response, 0, response.Length);
        byte[] liveEa = new byte[64];
        Assert.Equal(Hex.Of(ea, 0, eaLength), Hex.Of(liveEa, 0, live.BuildExternalAuthenticate(0x33, liveEa, 0)));
        live.ProcessExternalAuthenticateResponse(Hex.Parse("9000"), 0, 2);

        byte[] a = new byte[300];
        byte[] b = new byte[300];
        foreach (string cmd in new[] { "80E60C0003 010203 00", "80F22000024F00", "80CA006600" })
        {
            byte[] plain = Hex.Parse(cmd);
            Assert.Equal(Hex.Of(a, 0, precomputed.Wrap(plain, 0, plain.Length, a, 0)), Hex.Of(b, 0, live.Wrap(plain, 0, plain.Length, b, 0)));
        }
    }

    [Fact]
    public void ForPrecomputed_RandomChallengeCard_Throws()
    {
        var ex = Assert.Throws<SecureChannelException>(() =>
            Scp03HostSession.ForPrecomputed(Keys(0x30), 1, new byte[8], 0, 8, 0x60, new byte[8], 0));
        Assert.Equal(SecureChannelError.UnsupportedProtocol, ex.Error);
    }

    [Fact]
    public void TryParse_RandomResponses_NeverThrows()
    {
        Gen.Select(Gen.Byte.Array[0, 60], Gen.Bool).Sample((bytes, s16) =>
        {
            var error = Scp03InitializeUpdateResponse.TryParse(bytes, 0, bytes.Length, s16 ? 16 : 8, out var view);
            if (error == 0)
            {
                Assert.True(view.CardCryptogramOffset + view.ChallengeLength <= bytes.Length - 2);
            }
        }, iter: 5000);
    }

    [Fact]
    public void ProcessInitializeUpdateResponse_RandomBytes_ThrowOnlySecureChannelException()
    {
        Gen.Byte.Array[0, 40].Sample(bytes =>
        {
            var session = Started(Keys(0x00));
            try
            {
                session.ProcessInitializeUpdateResponse(bytes, 0, bytes.Length);
            }
            catch (SecureChannelException)
            {
            }
        }, iter: 2000);
    }

    internal static Scp03StaticKeys Keys(byte kvn) =>
        Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, kvn, Hex.Parse(Scp03KdfTests.Key));

    private static Scp03HostSession Started(Scp03StaticKeys keys)
    {
        var session = new Scp03HostSession(keys, 8);
        session.BuildInitializeUpdate(Hex.Parse(Scp03KdfTests.HostChallenge), 0, new byte[32], 0);
        return session;
    }
}
