using System.Security.Cryptography;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>MACInit/Update/Final with crypto objects (se05x_APDU_apis.h; Se05x/README.md "MACs").</summary>
public class Se05xMacStreamTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray();

    [Fact]
    public void GenerateInChunks_EqualsHmacOfTheWhole_ThenValidate()
    {
        var rig = new Se05xRig();
        var m = new Se05xMacStreamCommands(892);
        rig.Run(rig.Objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x1001, Key, 0, 32, null!, 0, 0, rig.Buffer, 0));
        Assert.Equal(0x9000, rig.Run(m.CreateCryptoObject(0x0101, Se05xMacAlgorithm.HmacSha256, rig.Buffer, 0)).Sw);
        byte[] message = RandomNumberGenerator.GetBytes(2000);

        Assert.Equal(0x9000, rig.Run(m.MacInit(0x1001, 0x0101, false, rig.Buffer, 0)).Sw);
        Assert.Equal(0x9000, rig.Run(m.MacUpdate(0x0101, message, 0, 800, rig.Buffer, 0)).Sw);
        Assert.Equal(0x9000, rig.Run(m.MacUpdate(0x0101, message, 800, 800, rig.Buffer, 0)).Sw);
        Se05xRig.Reply mac = rig.Run(m.MacFinal(0x0101, message, 1600, 400, null!, 0, 0, rig.Buffer, 0));
        byte[] expected = HMACSHA256.HashData(Key, message);
        Assert.Equal("41820020" + Hex.Of(expected), mac.Hex);

        // The crypto object is reusable after MACFinal; a validating run answers a result.
        Assert.Equal(0x9000, rig.Run(m.MacInit(0x1001, 0x0101, true, rig.Buffer, 0)).Sw);
        rig.Run(m.MacUpdate(0x0101, message, 0, 800, rig.Buffer, 0));
        rig.Run(m.MacUpdate(0x0101, message, 800, 800, rig.Buffer, 0));
        Assert.Equal("410101", rig.Run(m.MacFinal(0x0101, message, 1600, 400, expected, 0, 32, rig.Buffer, 0)).Hex);
        Assert.Equal(0x9000, rig.Run(m.MacInit(0x1001, 0x0101, true, rig.Buffer, 0)).Sw);
        expected[31] ^= 1;
        Assert.Equal("410102", rig.Run(m.MacFinal(0x0101, message, 0, 800, expected, 0, 32, rig.Buffer, 0)).Hex);
    }

    [Fact]
    public void UpdateBeforeInit_OrAfterTheKeyIsDeleted_6985()
    {
        var rig = new Se05xRig();
        var m = new Se05xMacStreamCommands();
        rig.Run(rig.Objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x1001, Key, 0, 32, null!, 0, 0, rig.Buffer, 0));
        rig.Run(m.CreateCryptoObject(0x0101, Se05xMacAlgorithm.HmacSha256, rig.Buffer, 0));
        byte[] data = [1, 2];
        Assert.Equal(0x6985, rig.Run(m.MacUpdate(0x0101, data, 0, 2, rig.Buffer, 0)).Sw);
        rig.Run(m.MacInit(0x1001, 0x0101, false, rig.Buffer, 0));
        rig.Run(rig.Objects.DeleteSecureObject(0x1001, rig.Buffer, 0));
        Assert.Equal(0x6985, rig.Run(m.MacUpdate(0x0101, data, 0, 2, rig.Buffer, 0)).Sw);
    }

    [Fact]
    public void CryptoObjects_TransientMemoryFreedOnlyAtDeselect()
    {
        // DeleteCryptoObject: "the transient memory is only freed when de-selecting the applet" (se05x_APDU_apis.h); the
        // card allows 8 allocations per selection (ours) and answers 6A84 (SM_ERR_FILE_FULL) beyond.
        var rig = new Se05xRig();
        var m = new Se05xMacStreamCommands();
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(0x9000, rig.Run(m.CreateCryptoObject(0x0101, Se05xMacAlgorithm.HmacSha256, rig.Buffer, 0)).Sw);
            Assert.Equal(0x9000, rig.Run(m.DeleteCryptoObject(0x0101, rig.Buffer, 0)).Sw);
        }

        Assert.Equal(0x6A84, rig.Run(m.CreateCryptoObject(0x0101, Se05xMacAlgorithm.HmacSha256, rig.Buffer, 0)).Sw);
        rig.Select();
        Assert.Equal(0x9000, rig.Run(m.CreateCryptoObject(0x0101, Se05xMacAlgorithm.HmacSha256, rig.Buffer, 0)).Sw);
        Assert.Equal(0x6985, rig.Run(m.CreateCryptoObject(0x0101, Se05xMacAlgorithm.Cmac128, rig.Buffer, 0)).Sw); // id in use
    }

    [Fact]
    public void CryptoObjectOfAnotherSession_6985()
    {
        // "Once the Crypto Object is created, it is bound to the user who created the Crypto Object."
        var rig = Se05xSessionTests.WithAuthObjects();
        var m = new Se05xMacStreamCommands();
        rig.Run(rig.Objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x1001, Key, 0, 32, null!, 0, 0, rig.Buffer, 0));
        rig.Run(m.CreateCryptoObject(0x0101, Se05xMacAlgorithm.HmacSha256, rig.Buffer, 0));
        var session = new Se05xAppletSession(new Se05xCardTransport(() => rig.Card), 892);
        session.Open(0x7DA00002);
        session.VerifyUserId("C0FFEE01"u8.ToArray(), 0, 8);
        var answer = new byte[16];
        int n = session.Transceive(rig.Buffer, 0, m.MacInit(0x1001, 0x0101, false, rig.Buffer, 0), answer, 0);
        Assert.Equal("6985", Hex.Of(answer, 0, n));
    }

    [Fact]
    public void NvmWrites_CountedPerObjectAndForCryptoObjects()
    {
        var rig = new Se05xRig();
        long start = rig.Card.NvmWrites;
        rig.Run(rig.Objects.CreateCounter(0x3001, 8, 0, null!, 0, 0, rig.Buffer, 0));
        for (int i = 0; i < 5; i++)
        {
            rig.Run(rig.Objects.IncrementCounter(0x3001, rig.Buffer, 0));
        }

        Assert.Equal(6, rig.Card.WritesOf(0x3001));
        rig.Run(rig.Objects.ReadCounter(0x3001, rig.Buffer, 0)); // a read writes nothing
        Assert.Equal(6, rig.Card.NvmWrites - start);

        // NXP's host logs "causes NVM writes" for crypto-object create and MAC Init/Update/Final (se05x-facts.md §8).
        var m = new Se05xMacStreamCommands();
        rig.Run(rig.Objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x1001, Key, 0, 32, null!, 0, 0, rig.Buffer, 0));
        rig.Run(m.CreateCryptoObject(0x0101, Se05xMacAlgorithm.HmacSha256, rig.Buffer, 0));
        rig.Run(m.MacInit(0x1001, 0x0101, false, rig.Buffer, 0));
        rig.Run(m.MacFinal(0x0101, [1], 0, 1, null!, 0, 0, rig.Buffer, 0));
        Assert.Equal(6 + 1 + 3, rig.Card.NvmWrites - start);
    }
}
