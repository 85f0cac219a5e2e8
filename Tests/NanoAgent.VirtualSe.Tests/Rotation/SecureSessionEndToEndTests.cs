using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Card;

namespace NanoAgent.VirtualSe.Tests.Rotation;

/// <summary>
/// Issue 4 "Done when": the back end opens an S16 session at level 33 (C-MAC, C-DEC, R-MAC, R-ENC) to an SSD of a virtual
/// SE05x over T=1 on the virtual I2C bus, rotates its key set with PUT KEY, reopens with the new keys, and the old keys fail.
/// Bad input is a clear error, closes the session on both sides and leaves the card state file as it was.
/// </summary>
public sealed class SecureSessionEndToEndTests : IDisposable
{
    private const byte S16Card = 0x71; // i parameter: S16 mode, pseudo-random challenge, R-MAC, R-ENC (Amd D v1.2 §5.1)
    private static readonly Scp03StaticKeys KeysA = RotationRig.Keys(0x01, 0x21);
    private static readonly Scp03StaticKeys KeysB = RotationRig.Keys(0x02, 0x51);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e2e-" + Guid.NewGuid().ToString("N"));

    public SecureSessionEndToEndTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void S16Level33_RotateSsdKeys_NewOpens_OldFails()
    {
        using var rig = new RotationRig(Path.Combine(_dir, "se.json"), S16Card);
        rig.ProvisionSsd(KeysA, 0x33, 16);

        Assert.Equal(GpOpenStatus.Opened, rig.Session.Open(RotationRig.Ssd, KeysA, 0x33, 16));
        Assert.Equal(0x33, rig.Session.SecurityLevel);
        Assert.Equal(S16Card, rig.Session.IParameter);
        Assert.StartsWith("E0", rig.Secure(KeyInfo));

        KeyRotationResult result = new KeyRotation(rig.Session, 0x33, 16, null!).Run(RotationRig.Ssd, KeysA, KeysB);
        Assert.Equal(KeyRotationOutcome.Completed, result.Outcome);

        Assert.Equal(GpOpenStatus.Opened, rig.Session.Open(RotationRig.Ssd, KeysB, 0x33, 16));
        Assert.Equal("DF20034142439000", StoreAndRead(rig));
        Assert.Equal(GpOpenStatus.KeyVersionNotFound, rig.Session.Open(RotationRig.Ssd, KeysA, 0x33, 16));
        Assert.False(rig.Session.IsOpen);

        // Old keys under the new key version: the card cryptogram gives them away before EXTERNAL AUTHENTICATE.
        var oldUnderNewVersion = new Scp03StaticKeys(KeysA.Factory, 0x02, Key(0x21), Key(0x22), Key(0x23));
        Assert.Equal(GpOpenStatus.WrongKeys, rig.Session.Open(RotationRig.Ssd, oldUnderNewVersion, 0x33, 16));
    }

    [Fact]
    public void WrongKeys_WrongCryptogram_NoSession_StateUnchangedButCounter()
    {
        using var rig = Ready(out byte[] before);
        rig.Session.Close();
        var wrong = new Scp03StaticKeys(KeysA.Factory, 0x01, Key(0x99), Key(0x9A), Key(0x9B));

        Assert.Equal(GpOpenStatus.WrongKeys, rig.Session.Open(RotationRig.Ssd, wrong, 0x33, 16));

        Assert.False(rig.Session.IsOpen);
        Assert.False(CardSessionOpen(rig));
        Assert.Equal(StateFiles.WithoutCounters(before), StateFiles.WithoutCounters(File.ReadAllBytes(rig.StatePath)));
        Assert.Equal(0, rig.Se.Card.State.Find(RotationRig.Ssd)!.Domain!.KeySets[0].FailedAuthentications);
    }

    [Fact]
    public void WrongCommandMac_CardRefuses_BothSidesClosed_StateFileIdentical()
    {
        using var rig = Ready(out byte[] before);
        rig.Faults.TamperNextCommand = c => Flip(c, c.Length - 2); // last C-MAC byte (before Le)
        Assert.Equal("6982", rig.Secure(KeyInfo));
        AssertClosedAndUnchanged(rig, before);
    }

    [Fact]
    public void WrongCounter_ReplayedCommand_CardRefuses_BothSidesClosed_StateFileIdentical()
    {
        using var rig = Ready(out byte[] before);
        Assert.EndsWith("9000", rig.Secure(KeyInfo));
        rig.Faults.ReplayNext = true; // the card's encryption counter and MAC chaining have moved on
        Assert.Equal("6982", rig.Secure(KeyInfo));
        AssertClosedAndUnchanged(rig, before);
    }

    [Fact]
    public void TruncatedWrappedCommand_CardRefuses_BothSidesClosed_StateFileIdentical()
    {
        using var rig = Ready(out byte[] before);
        rig.Faults.TamperNextCommand = c =>
        {
            byte[] cut = c[..^5]; // drops four MAC bytes and Le
            cut[4] -= 4;
            return cut;
        };
        Assert.Equal("6982", rig.Secure(KeyInfo));
        AssertClosedAndUnchanged(rig, before);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WrongOrTruncatedResponseMac_HostRefuses_SessionClosed_StateFileIdentical(bool truncate)
    {
        using var rig = Ready(out byte[] before);
        rig.Faults.TamperNextResponse = r => truncate ? [.. r[..^6], .. r[^2..]] : Flip(r, r.Length - 3);
        var e = Assert.Throws<SecureChannelException>(() => rig.Secure(KeyInfo));
        Assert.Equal(SecureChannelError.ResponseMacMismatch, e.Error);
        Assert.Contains("R-MAC", e.Message);
        Assert.False(rig.Session.IsOpen);
        Assert.Throws<SecureChannelException>(() => rig.Secure(KeyInfo));
        Assert.Equal(before, File.ReadAllBytes(rig.StatePath));
    }

    private static int KeyInfo(byte[] b) => GpGetData.Build(0x00E0, b, 0); // key information: always answers data

    private static string StoreAndRead(RotationRig rig)
    {
        byte[] tlv = Hex.Parse("DF2003414243");
        Assert.Equal("9000", rig.Secure(b => GpStoreData.Build(GpStoreData.LastBlock | GpStoreData.BerTlv, 0, tlv, 0, tlv.Length, b, 0)));
        return rig.Secure(b => GpGetData.Build(0xDF20, b, 0));
    }

    private RotationRig Ready(out byte[] before)
    {
        var rig = new RotationRig(Path.Combine(_dir, "se.json"), S16Card);
        rig.ProvisionSsd(KeysA, 0x33, 16);
        Assert.Equal(GpOpenStatus.Opened, rig.Session.Open(RotationRig.Ssd, KeysA, 0x33, 16));
        Assert.True(CardSessionOpen(rig));
        before = File.ReadAllBytes(rig.StatePath);
        return rig;
    }

    private static void AssertClosedAndUnchanged(RotationRig rig, byte[] before)
    {
        Assert.False(rig.Session.IsOpen);
        Assert.False(CardSessionOpen(rig));
        var e = Assert.Throws<SecureChannelException>(() => rig.Secure(KeyInfo));
        Assert.Equal(SecureChannelError.InvalidState, e.Error);
        Assert.Equal(before, File.ReadAllBytes(rig.StatePath));
    }

    private static bool CardSessionOpen(RotationRig rig) =>
        rig.Se.Card.GetChannel(0).AppletState is SecurityDomainSession { IsAuthenticated: true };

    private static byte[] Flip(byte[] data, int at)
    {
        byte[] copy = (byte[])data.Clone();
        copy[at] ^= 0x01;
        return copy;
    }

    private static byte[] Key(int seed) => Enumerable.Range(0, 16).Select(i => (byte)((seed * 29) + i)).ToArray();
}
