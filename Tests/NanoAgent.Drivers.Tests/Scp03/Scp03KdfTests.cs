using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Tests.Scp03;

public class Scp03KdfTests
{
    // kaoh/globalplatform scp03Test.c example (see /work/shared/protocol-facts.md).
    internal const string Key = "404142434445464748494A4B4C4D4E4F";
    internal const string HostChallenge = "2C8130E574247B1B";
    internal const string CardChallenge = "A5874C57119B976B";

    [Fact]
    public void Derive_KaohExample_GivesPublishedSessionKeys()
    {
        var keys = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x30, Hex.Parse(Key));

        var session = Scp03SessionKeys.Derive(keys, Hex.Parse(HostChallenge), 0, Hex.Parse(CardChallenge), 0, 8);

        Assert.Equal("0F1EE990609F3C4E5DF806316763B6C5", Hex.Of(session.EncKey));
        Assert.Equal("75A2C1634EF06B47FD6F726978AE561E", Hex.Of(session.MacKey));
        Assert.Equal("40C3A39B40CF342F4D73080F80718E3A", Hex.Of(session.RMacKey));
    }

    [Fact]
    public void ComputeCardCryptogram_KaohExample_MatchesCardResponse()
    {
        var keys = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x30, Hex.Parse(Key));
        var session = Scp03SessionKeys.Derive(keys, Hex.Parse(HostChallenge), 0, Hex.Parse(CardChallenge), 0, 8);
        byte[] cryptogram = new byte[8];

        session.ComputeCardCryptogram(cryptogram, 0);
        Assert.Equal("F94879E36F29E039", Hex.Of(cryptogram));

        session.ComputeHostCryptogram(cryptogram, 0);
        Assert.Equal("A75F1CD48F3B93DF", Hex.Of(cryptogram));
    }

    [Fact]
    public void Derive_LongerOutput_UsesCounterTwoForSecondBlock()
    {
        // SP 800-108 counter mode: a 256-bit output is PRF(.. i=01 ..) | PRF(.. i=02 ..).
        var prf = new AesCmac(new BouncyCastleAes(Hex.Parse(Key), 0, 16));
        byte[] context = Hex.Parse(HostChallenge + CardChallenge);
        byte[] output = new byte[32];
        Scp03Kdf.Derive(prf, Scp03Kdf.SessionEnc, 256, context, 0, 8, context, 8, 8, output, 0);

        byte[] expected = new byte[32];
        byte[] input = Hex.Parse("0000000000000000000000 04 00 0100 01" + HostChallenge + CardChallenge);
        prf.Compute(input, 0, input.Length, expected, 0);
        input[15] = 0x02;
        prf.Compute(input, 0, input.Length, expected, 16);

        Assert.Equal(Hex.Of(expected), Hex.Of(output));
    }

    [Fact]
    public void Derive_Aes256Keys_DeriveThirtyTwoByteSessionKeys()
    {
        byte[] key = Hex.Parse(Key + Key);
        var keys = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x30, key);
        var session = Scp03SessionKeys.Derive(keys, Hex.Parse(HostChallenge), 0, Hex.Parse(CardChallenge), 0, 8);

        // Recomputed from the definition: S-ENC = CMAC(K, label | 04 00 0100 01 | ctx) | CMAC(K, ... 02 | ctx).
        var prf = new AesCmac(new BouncyCastleAes(key, 0, 32));
        byte[] expected = new byte[32];
        byte[] input = Hex.Parse("0000000000000000000000 04 00 0100 01" + HostChallenge + CardChallenge);
        prf.Compute(input, 0, input.Length, expected, 0);
        input[15] = 0x02;
        prf.Compute(input, 0, input.Length, expected, 16);
        Assert.Equal(Hex.Of(expected), Hex.Of(session.EncKey));
        Assert.Equal(32, session.MacKey.Length);
    }

    [Fact]
    public void ComputeCardChallenge_InputIsCounterThenAid()
    {
        var prf = new AesCmac(new BouncyCastleAes(Hex.Parse(Key), 0, 16));
        byte[] aid = Hex.Parse("A000000151000000");
        byte[] challenge = new byte[8];

        Scp03Kdf.ComputeCardChallenge(prf, 0x00002A, aid, 0, aid.Length, 8, challenge, 0);

        // Amd D §6.2.2.1: label | 02 | 00 | 0040 | 01 | counter (3) | AID.
        byte[] input = Hex.Parse("0000000000000000000000 02 00 0040 01 00002A A000000151000000");
        byte[] full = new byte[16];
        prf.Compute(input, 0, input.Length, full, 0);
        Assert.Equal(Hex.Of(full, 0, 8), Hex.Of(challenge));
    }

    [Theory]
    [InlineData(-1, 8, 8)]
    [InlineData(0x1000000, 8, 8)]
    [InlineData(1, 4, 8)]
    [InlineData(1, 8, 12)]
    public void ComputeCardChallenge_BadArguments_Throw(int counter, int aidLength, int challengeLength)
    {
        var prf = new AesCmac(new BouncyCastleAes(Hex.Parse(Key), 0, 16));
        var ex = Assert.Throws<SecureChannelException>(() =>
            Scp03Kdf.ComputeCardChallenge(prf, counter, new byte[aidLength], 0, aidLength, challengeLength, new byte[16], 0));
        Assert.Equal(SecureChannelError.InvalidArgument, ex.Error);
    }
}
