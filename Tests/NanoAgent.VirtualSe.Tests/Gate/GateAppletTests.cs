using System.Security.Cryptography;
using NanoAgent.VirtualSe.Gate;

namespace NanoAgent.VirtualSe.Tests.Gate;

/// <summary>The gate applet: keying only through the owner's SCP03 session, signing, verifying, isolation.</summary>
public sealed class GateAppletTests
{
    [Fact]
    public void SignReading_AfterKeyingInOwnSession_ReturnsCounterMacAndKcv()
    {
        var f = new GateFixture().Provision();
        Assert.Equal("9000", f.KeyA());

        string first = f.Send(GateFixture.GateA, GateFixture.SignApdu("01020304"));
        string second = f.Send(GateFixture.GateA, GateFixture.SignApdu("01020304"));
        Assert.EndsWith("9000", first);
        Assert.Equal((8 + 16 + 3) * 2 + 4, first.Length);
        Assert.StartsWith("0000000000000001", first);
        Assert.StartsWith("0000000000000002", second);

        // The MAC is over "RDG" || len(AID) || AID || counter || reading (docs/gating.md), recomputed independently.
        byte[] input = [.. "RDG"u8, (byte)GateFixture.GateA.Length, .. GateFixture.GateA, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4];
        Assert.Equal(first.Substring(16, 32), Hex.Of(CmacReference(GateFixture.MacKeyA, input)));
        Assert.Equal(Hex.Of(GateMac.KeyCheckValue(GateFixture.MacKeyA)), first.Substring(48, 6));
    }

    [Fact]
    public void SignReading_Ecdsa_VerifiesWithPublicKeyFromGetData()
    {
        var f = new GateFixture().Provision();
        Assert.Equal("9000", f.KeyA());
        string pub = f.Send(GateFixture.GateA, "80CA7F4900");
        Assert.StartsWith("7F49438641 04".Replace(" ", string.Empty), pub);
        byte[] point = Hex.Parse(pub.Substring(10, 130));
        string rsp = f.Send(GateFixture.GateA, GateFixture.SignApdu("AABB", 1));
        Assert.EndsWith("9000", rsp);
        byte[] counter = Hex.Parse(rsp[..16]);
        byte[] sig = Hex.Parse(rsp[16..^4]);
        using var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
        byte[] input = [.. "RDG"u8, (byte)GateFixture.GateA.Length, .. GateFixture.GateA, .. counter, 0xAA, 0xBB];
        Assert.True(ec.VerifyData(input, sig, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void Keying_WithoutSessionOrWithoutCDec_IsRefused()
    {
        var f = new GateFixture().Provision();

        // Plain STORE DATA to the gate's SD without a session, and to the gate itself.
        f.Host.Select(GateFixture.SsdA);
        Assert.Equal("6982", f.Host.Raw(Hex.Parse("80E2900012 8110 000102030405060708090A0B0C0D0E0F")));
        Assert.Equal("6D00", f.Send(GateFixture.GateA, "80E2900012 8110 000102030405060708090A0B0C0D0E0F".Replace(" ", string.Empty)));

        // C-MAC only (level '01'): the key would travel in clear, refused; the gate stays unkeyed.
        Assert.Equal("6982", f.Key(GateFixture.SsdA, GateFixture.KeysA, GateFixture.GateA, "8110" + Hex.Of(GateFixture.MacKeyA), 0x01));
        Assert.Equal("6A88", f.Send(GateFixture.GateA, GateFixture.SignApdu("01")));
        Assert.Equal("6A80", f.Key(GateFixture.SsdA, GateFixture.KeysA, GateFixture.GateA, "9901AA"));
    }

    [Fact]
    public void OtherTenant_CannotKeyOrAuthoriseOnAGate()
    {
        var f = new GateFixture().Provision();
        Assert.Equal("9000", f.KeyA());
        Assert.Equal("9000", f.KeyB());

        // B's session cannot name A's gate for personalisation.
        Assert.Equal("6982", f.Key(GateFixture.SsdB, GateFixture.KeysB, GateFixture.GateA, "8110" + Hex.Of(GateFixture.MacKeyB)));

        // A command MAC'd with B's key is refused by A's gate; with A's key it passes once.
        Assert.Equal("6982", f.Send(GateFixture.GateA, GateFixture.VerifyApdu(GateFixture.MacKeyB, GateFixture.GateA, 1, "0102")));
        Assert.Equal("9000", f.Send(GateFixture.GateA, GateFixture.VerifyApdu(GateFixture.MacKeyA, GateFixture.GateA, 1, "0102")));

        // A's MAC made for B's gate AID does not verify on A's (the AID is in the MAC input).
        Assert.Equal("6982", f.Send(GateFixture.GateA, GateFixture.VerifyApdu(GateFixture.MacKeyA, GateFixture.GateB, 2, "0102")));
    }

    [Fact]
    public void VerifyCommand_ReplayAndOldCounter_Are6985_BadMac_Is6982()
    {
        var f = new GateFixture().Provision();
        Assert.Equal("9000", f.KeyA());
        string cmd5 = GateFixture.VerifyApdu(GateFixture.MacKeyA, GateFixture.GateA, 5, "AA");
        Assert.Equal("9000", f.Send(GateFixture.GateA, cmd5));
        Assert.Equal("6985", f.Send(GateFixture.GateA, cmd5));
        Assert.Equal("6985", f.Send(GateFixture.GateA, GateFixture.VerifyApdu(GateFixture.MacKeyA, GateFixture.GateA, 4, "AA")));
        string tampered = cmd5[..^34] + "AB" + cmd5[^32..];
        Assert.Equal("6982", f.Send(GateFixture.GateA, tampered));
        Assert.Equal("9000", f.Send(GateFixture.GateA, GateFixture.VerifyApdu(GateFixture.MacKeyA, GateFixture.GateA, 6, "AA")));
        Assert.Equal(6UL, f.Store.Find(Hex.Of(GateFixture.GateA))!.CommandCounter);
        Assert.Equal("6700", f.Send(GateFixture.GateA, "80A2000003010203"));
    }

    [Fact]
    public void Reinstalled_Instance_ByOtherOwner_DoesNotInheritKeys()
    {
        var f = new GateFixture().Provision();
        Assert.Equal("9000", f.KeyA());
        f.Card.State.Find(GateFixture.GateA)!.AssociatedSecurityDomain = GateFixture.SsdB;
        Assert.Equal("6A88", f.Send(GateFixture.GateA, GateFixture.SignApdu("01")));
    }

    /// <summary>AES-CMAC (NIST SP 800-38B) written out independently of the code under test.</summary>
    internal static byte[] CmacReference(byte[] key, byte[] message)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        byte[] l = aes.EncryptEcb(new byte[16], PaddingMode.None);
        byte[] k1 = Shift(l), k2 = Shift(k1);
        int blocks = Math.Max(1, (message.Length + 15) / 16);
        bool complete = message.Length > 0 && message.Length % 16 == 0;
        byte[] last = new byte[16];
        int lastStart = (blocks - 1) * 16;
        for (int i = 0; i < 16; i++)
        {
            int j = lastStart + i;
            last[i] = (byte)((j < message.Length ? message[j] : j == message.Length ? 0x80 : 0) ^ (complete ? k1[i] : k2[i]));
        }

        byte[] x = new byte[16];
        for (int b = 0; b < blocks; b++)
        {
            for (int i = 0; i < 16; i++)
            {
                x[i] ^= b == blocks - 1 ? last[i] : message[b * 16 + i];
            }

            x = aes.EncryptEcb(x, PaddingMode.None);
        }

        return x;
    }

    private static byte[] Shift(byte[] v)
    {
        byte[] r = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            r[i] = (byte)((v[i] << 1) | (i < 15 ? v[i + 1] >> 7 : 0));
        }

        if ((v[0] & 0x80) != 0)
        {
            r[15] ^= 0x87;
        }

        return r;
    }
}
