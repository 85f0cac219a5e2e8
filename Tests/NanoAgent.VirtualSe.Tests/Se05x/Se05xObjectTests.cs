using System.Security.Cryptography;
using NanoAgent.Drivers.Se05x;
using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.VirtualSe.Tests.Se05x;

public class Se05xObjectTests
{
    private static readonly byte[] HmacKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void MacOneShot_Hmac_MatchesHmacSha256AndValidates()
    {
        var rig = new Se05xRig();
        Assert.Equal(0x9000, rig.Run(rig.Objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x1001, HmacKey, 0, 32, null!, 0, 0, rig.Buffer, 0)).Sw);
        byte[] data = "reading 21.5 C"u8.ToArray();
        Se05xRig.Reply mac = rig.Run(rig.Crypto.MacGenerate(0x1001, Se05xMacAlgorithm.HmacSha256, data, 0, data.Length, rig.Buffer, 0));
        Assert.Equal(0x9000, mac.Sw);
        byte[] expected = HMACSHA256.HashData(HmacKey, data);
        Assert.Equal("418200" + "20" + Hex.Of(expected), mac.Hex);

        Se05xRig.Reply ok = rig.Run(rig.Crypto.MacValidate(0x1001, Se05xMacAlgorithm.HmacSha256, data, 0, data.Length, expected, 0, 32, rig.Buffer, 0));
        Assert.Equal("410101", ok.Hex); // SE05x_Result_t SUCCESS 01, one-byte length as tlvGet_Result reads it
        expected[0] ^= 1;
        Se05xRig.Reply bad = rig.Run(rig.Crypto.MacValidate(0x1001, Se05xMacAlgorithm.HmacSha256, data, 0, data.Length, expected, 0, 32, rig.Buffer, 0));
        Assert.Equal("410102", bad.Hex);
    }

    [Fact]
    public void MacOneShot_Cmac_Rfc4493Example2()
    {
        // RFC 4493 §4 example 2: K = 2b7e1516 28aed2a6 abf71588 09cf4f3c, M = 6bc1bee2 2e409f96 e93d7e11 7393172a,
        // AES-CMAC = 070a16b4 6b4d4144 f79bdd9d d04a287c; MAC algorithm CMAC_128 = 31 (se05x_enums.h).
        var rig = new Se05xRig();
        byte[] key = Hex.Parse("2b7e151628aed2a6abf7158809cf4f3c");
        byte[] m = Hex.Parse("6bc1bee22e409f96e93d7e117393172a");
        Assert.Equal(0x9000, rig.Run(rig.Objects.WriteSymmKey(Se05xSymmetricKeyType.Aes, 0x1002, key, 0, 16, null!, 0, 0, rig.Buffer, 0)).Sw);
        Se05xRig.Reply mac = rig.Run(rig.Crypto.MacGenerate(0x1002, Se05xMacAlgorithm.Cmac128, m, 0, m.Length, rig.Buffer, 0));
        Assert.Equal("41820010070A16B46B4D4144F79BDD9DD04A287C", mac.Hex);
    }

    [Fact]
    public void MacOneShot_AlgorithmNotFittingTheKey_6985()
    {
        var rig = new Se05xRig();
        rig.Run(rig.Objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x1001, HmacKey, 0, 32, null!, 0, 0, rig.Buffer, 0));
        byte[] data = [1];
        Assert.Equal(0x6985, rig.Run(rig.Crypto.MacGenerate(0x1001, Se05xMacAlgorithm.Cmac128, data, 0, 1, rig.Buffer, 0)).Sw);
    }

    [Fact]
    public void ReadObject_SecretsRefused_KeyPairGivesPublicKey()
    {
        // se05x_APDU_apis.h ReadObject: private, symmetric and UserID objects answer SW_CONDITIONS_NOT_SATISFIED (6985);
        // a key pair answers its public key.
        var rig = new Se05xRig();
        rig.Run(rig.Objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x1001, HmacKey, 0, 32, null!, 0, 0, rig.Buffer, 0));
        Assert.Equal(0x6985, rig.Run(rig.Objects.ReadObject(0x1001, rig.Buffer, 0)).Sw);
        Assert.Equal(0x9000, rig.Run(rig.Objects.GenerateEcKeyPair(0x2002, null!, 0, 0, rig.Buffer, 0)).Sw);
        Se05xRig.Reply pub = rig.Run(rig.Objects.ReadObject(0x2002, rig.Buffer, 0));
        Assert.Equal(0x9000, pub.Sw);
        Assert.Equal("41820041", Hex.Of(pub.Data, 0, 4));
        Assert.Equal(0x04, pub.Data[4]);
        Assert.Equal(0x6985, rig.Run(rig.Objects.ReadObject(0x3003, rig.Buffer, 0)).Sw);
    }

    [Fact]
    public void EcdsaSign_SignatureVerifiesOnHostAndOnCard()
    {
        var rig = new Se05xRig();
        rig.Run(rig.Objects.GenerateEcKeyPair(0x2002, null!, 0, 0, rig.Buffer, 0));
        byte[] pub = rig.Run(rig.Objects.ReadObject(0x2002, rig.Buffer, 0)).Data[4..];
        byte[] digest = SHA256.HashData("command"u8);
        Se05xRig.Reply sig = rig.Run(rig.Crypto.EcdsaSign(0x2002, digest, 0, rig.Buffer, 0));
        Assert.Equal(0x9000, sig.Sw);
        byte[] der = sig.Data[4..];
        using var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = pub[1..33], Y = pub[33..] } });
        Assert.True(ec.VerifyHash(digest, der, DSASignatureFormat.Rfc3279DerSequence));
        Assert.Equal("410101", rig.Run(rig.Crypto.EcdsaVerify(0x2002, digest, 0, der, 0, der.Length, rig.Buffer, 0)).Hex);
        digest[0] ^= 1;
        Assert.Equal("410102", rig.Run(rig.Crypto.EcdsaVerify(0x2002, digest, 0, der, 0, der.Length, rig.Buffer, 0)).Hex);
    }

    [Fact]
    public void Counter_IncrementSetNeverDownStopsAtMax()
    {
        // se05x_APDU_apis.h CreateCounter: "Counters can only be incremented, not decremented"; at the maximum "they cannot
        // be incremented again"; TAG_3 "must always have the same length as the existing counter".
        var rig = new Se05xRig();
        Assert.Equal(0x9000, rig.Run(rig.Objects.CreateCounter(0x3001, 2, 0, null!, 0, 0, rig.Buffer, 0)).Sw);
        Assert.Equal(0x9000, rig.Run(rig.Objects.IncrementCounter(0x3001, rig.Buffer, 0)).Sw);
        Assert.Equal("418200020001", rig.Run(rig.Objects.ReadCounter(0x3001, rig.Buffer, 0)).Hex);
        Assert.Equal(0x9000, rig.Run(rig.Objects.SetCounter(0x3001, 2, 0xFFFE, rig.Buffer, 0)).Sw);
        Assert.Equal(0x6985, rig.Run(rig.Objects.SetCounter(0x3001, 2, 0x0005, rig.Buffer, 0)).Sw);
        Assert.Equal(0x6A80, rig.Run(rig.Objects.SetCounter(0x3001, 4, 0xFFFFFFFF, rig.Buffer, 0)).Sw);
        Assert.Equal(0x9000, rig.Run(rig.Objects.IncrementCounter(0x3001, rig.Buffer, 0)).Sw);
        Assert.Equal(0x6985, rig.Run(rig.Objects.IncrementCounter(0x3001, rig.Buffer, 0)).Sw);
        Assert.Equal("41820002FFFF", rig.Run(rig.Objects.ReadCounter(0x3001, rig.Buffer, 0)).Hex);
    }

    [Fact]
    public void Delete_ProvisionedUniqueIdRefused_OthersGone()
    {
        var rig = new Se05xRig();
        Assert.Equal(0x6985, rig.Run(rig.Objects.DeleteSecureObject(Se05xState.UniqueIdObject, rig.Buffer, 0)).Sw);
        Assert.Equal("410101", rig.Run(rig.Objects.CheckObjectExists(Se05xState.UniqueIdObject, rig.Buffer, 0)).Hex);
        rig.Run(rig.Objects.CreateCounter(0x3001, 8, 0, null!, 0, 0, rig.Buffer, 0));
        Assert.Equal(0x9000, rig.Run(rig.Objects.DeleteSecureObject(0x3001, rig.Buffer, 0)).Sw);
        Assert.Equal("410102", rig.Run(rig.Objects.CheckObjectExists(0x3001, rig.Buffer, 0)).Hex);
        Assert.Equal(0x6985, rig.Run(rig.Objects.DeleteSecureObject(0x3001, rig.Buffer, 0)).Sw);
    }

    [Fact]
    public void CreateInReservedRange_6A80()
    {
        var rig = new Se05xRig();
        Assert.Equal(0x6A80, rig.Run(rig.Objects.CreateCounter(0x7FFF0300, 8, 0, null!, 0, 0, rig.Buffer, 0)).Sw);
    }

    [Fact]
    public void ReadTypeSizeAndIdList_DescribeObjects()
    {
        var rig = new Se05xRig();
        var queries = new Se05xObjectQueries();
        rig.Run(rig.Objects.CreateCounter(0x3001, 4, 0, null!, 0, 0, rig.Buffer, 0));
        rig.Run(rig.Objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x1001, HmacKey, 0, 20, null!, 0, 0, rig.Buffer, 0));

        Se05xRig.Reply type = rig.Run(queries.ReadType(0x3001, rig.Buffer, 0));
        Assert.Equal("41010D420101", type.Hex); // counter 0D, persistent 01 (se05x_enums.h)
        Assert.Equal("41020014", rig.Run(queries.ReadSize(0x1001, rig.Buffer, 0)).Hex);

        Se05xRig.Reply list = rig.Run(queries.ReadIdList(0, Se05xCodes.AllTypes, rig.Buffer, 0));
        Assert.Equal(Se05xOutcome.Success, Se05xObjectInfo.ReadIdList(list.Whole, 0, list.Whole.Length, out bool more, out int at, out int count));
        Assert.False(more);
        Assert.Equal([Se05xState.UniqueIdObject, 0x3001u, 0x1001u], Enumerable.Range(0, count).Select(i => Se05xObjectInfo.IdAt(list.Whole, at, i)));
    }

    [Fact]
    public void ReadIdList_PagesOfThirtyTwo()
    {
        var rig = new Se05xRig();
        var queries = new Se05xObjectQueries();
        for (uint i = 0; i < 40; i++)
        {
            Assert.Equal(0x9000, rig.Run(rig.Objects.CreateCounter(0x3000 + i, 1, 0, null!, 0, 0, rig.Buffer, 0)).Sw);
        }

        var ids = new List<uint>();
        bool more = true;
        while (more)
        {
            byte[] page = rig.Run(queries.ReadIdList(ids.Count, 0x0D, rig.Buffer, 0)).Whole;
            Se05xObjectInfo.ReadIdList(page, 0, page.Length, out more, out int at, out int count);
            ids.AddRange(Enumerable.Range(0, count).Select(i => Se05xObjectInfo.IdAt(page, at, i)));
        }

        Assert.Equal(Enumerable.Range(0, 40).Select(i => 0x3000u + (uint)i), ids);
    }

    [Theory]
    [InlineData(3, 892)]
    [InlineData(7, 1024)]
    public void Payload_AboveAppletLimit_6700(int major, int limit)
    {
        // se05x_const.h: MAX_APDU_PAYLOAD_LENGTH 892 on SE050 (applet 3.x), 1024 on SE051 (7.x); longer is refused
        // (SM_ERR_WRONG_LENGTH 6700, "C-APDU does not fit into APDU buffer").
        var rig = new Se05xRig(major);
        rig.Run(rig.Objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x1001, HmacKey, 0, 32, null!, 0, 0, rig.Buffer, 0));
        int overhead = 6 + 3 + 4; // TAG_1 id, TAG_2 algorithm, TAG_3 with an 82 length
        var fits = new byte[limit - overhead];
        var crypto = new Se05xCryptoCommands();
        Assert.Equal(0x9000, rig.Run(crypto.MacGenerate(0x1001, Se05xMacAlgorithm.HmacSha256, fits, 0, fits.Length, rig.Buffer, 0)).Sw);

        // One byte more: the host builders refuse it themselves, so the command is put together by hand.
        int dataLength = limit - overhead + 1;
        byte[] payload = [0x41, 0x04, 0x00, 0x00, 0x10, 0x01, 0x42, 0x01, 0x19, 0x43, 0x82, (byte)(dataLength >> 8), (byte)dataLength, .. new byte[dataLength]];
        byte[] apdu = [0x80, 0x03, 0x0D, 0x45, 0x00, (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];
        Assert.Equal(limit + 1, payload.Length);
        Assert.Equal(0x6700, rig.Send(apdu, apdu.Length).Sw);
        var ex = Assert.Throws<Se05xException>(() => new Se05xCryptoCommands(limit).MacGenerate(0x1001, Se05xMacAlgorithm.HmacSha256, new byte[dataLength], 0, dataLength, rig.Buffer, 0));
        Assert.Equal(Se05xError.PayloadTooLong, ex.Error);
    }
}
