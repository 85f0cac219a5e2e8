using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.VirtualSe.Tests.Se05x;

public class Se05xSessionTests
{
    private const uint TenantAuth = 0x7DA00001; // NXP demo auth id range (ex_sss_objid.h)
    private const uint UserAuth = 0x7DA00002;
    private static readonly byte[] TenantKey = Hex.Parse("000102030405060708090A0B0C0D0E0F");
    private static readonly byte[] UserIdValue = "C0FFEE01"u8.ToArray();

    [Fact]
    public void CreateSession_AnswersTag1WithEightByteIdInThreeByteLength()
    {
        // se05x-facts.md §5 [CN]: CreateSession 80 04 00 1B TAG_1 authId → 41 82 00 08 <8-byte id>.
        var rig = WithAuthObjects();
        var sessions = new Se05xSessionCommands();
        Se05xRig.Reply r = rig.Run(sessions.CreateSession(TenantAuth, rig.Buffer, 0));
        Assert.Equal(0x9000, r.Sw);
        Assert.Equal("41820008", Hex.Of(r.Data, 0, 4));
        Assert.Equal(12, r.Data.Length);
        Assert.Equal("800400 1B 06 41 04 7DA00001".Replace(" ", string.Empty), Hex.Of(rig.Buffer, 0, sessions.CreateSession(TenantAuth, rig.Buffer, 0)));
    }

    [Fact]
    public void CreateSession_AbsentOrNonAuthObject_6985_ThirdSession_6A84()
    {
        var rig = WithAuthObjects();
        var sessions = new Se05xSessionCommands();
        Assert.Equal(0x6985, rig.Run(sessions.CreateSession(0x7DA00099, rig.Buffer, 0)).Sw);
        rig.Run(rig.Objects.CreateCounter(0x3001, 4, 0, null!, 0, 0, rig.Buffer, 0));
        Assert.Equal(0x6985, rig.Run(sessions.CreateSession(0x3001, rig.Buffer, 0)).Sw);
        Assert.Equal(0x9000, rig.Run(sessions.CreateSession(TenantAuth, rig.Buffer, 0)).Sw);
        Assert.Equal(0x9000, rig.Run(sessions.CreateSession(UserAuth, rig.Buffer, 0)).Sw);
        Assert.Equal(0x6A84, rig.Run(sessions.CreateSession(TenantAuth, rig.Buffer, 0)).Sw);
    }

    [Fact]
    public void UserIdSession_WrongValueThenRight_CommandsRunInSession()
    {
        var rig = WithAuthObjects();
        var client = new Se05xAppletSession(new Se05xCardTransport(() => rig.Card), 892);
        Assert.Equal(Se05xOutcome.Success, client.Open(UserAuth));

        var answer = new byte[300];
        int n = rig.Objects.GetRandom(16, rig.Buffer, 0);
        Assert.Equal(0x6982, StatusOf(answer, client.Transceive(rig.Buffer, 0, n, answer, 0))); // not authenticated yet

        Assert.Equal(Se05xOutcome.ConditionsNotSatisfied, client.VerifyUserId("WRONG001"u8.ToArray(), 0, 8));
        Assert.Equal(Se05xOutcome.Success, client.VerifyUserId(UserIdValue, 0, UserIdValue.Length));
        n = client.Transceive(rig.Buffer, 0, rig.Objects.GetRandom(16, rig.Buffer, 0), answer, 0);
        Assert.Equal(0x9000, StatusOf(answer, n));
        Assert.Equal(4 + 16 + 2, n);
        Assert.Equal(Se05xOutcome.Success, client.Close());
        Assert.Equal(0, rig.Card.OpenSessions);
    }

    [Fact]
    public void VerifySessionUserId_OutsideSession_6B00()
    {
        // se05x-facts.md §2 [CN]: VerifySessionUserID sent outside a session answers 6B00.
        var rig = WithAuthObjects();
        var sessions = new Se05xSessionCommands();
        Assert.Equal(0x6B00, rig.Run(sessions.VerifySessionUserId(UserIdValue, 0, UserIdValue.Length, rig.Buffer, 0)).Sw);
    }

    [Fact]
    public void AesKeySession_Scp03Inside_WrappedOnTheWayAndBack()
    {
        var rig = WithAuthObjects();
        var client = new Se05xAppletSession(new Se05xCardTransport(() => rig.Card), 892);
        Assert.Equal(Se05xOutcome.Success, client.Open(TenantAuth));
        Assert.Equal(Se05xOutcome.Success, client.AuthenticateAesKey(BouncyCastleAesFactory.Instance, TenantKey, 0, CryptoRandomSource.Instance));

        // A counter made in the session is owned by the tenant; reading it back through the session works.
        var answer = new byte[300];
        int n = rig.Objects.CreateCounter(0x3001, 8, 5, null!, 0, 0, rig.Buffer, 0);
        Assert.Equal(0x9000, StatusOf(answer, client.Transceive(rig.Buffer, 0, n, answer, 0)));
        n = client.Transceive(rig.Buffer, 0, rig.Objects.ReadCounter(0x3001, rig.Buffer, 0), answer, 0);
        Assert.Equal("418200080000000000000005" + "9000", Hex.Of(answer, 0, n));
        Assert.Equal(TenantAuth, rig.Card.Snapshot().Find(0x3001)!.Owner);
        Assert.Equal(Se05xOutcome.Success, client.Close());
    }

    [Fact]
    public void AesKeySession_WrongKey_CardCryptogramMismatchAndOneAttemptUsed()
    {
        var rig = WithAuthObjects(maxAttempts: 3);
        var client = new Se05xAppletSession(new Se05xCardTransport(() => rig.Card), 892);
        client.Open(TenantAuth);
        byte[] wrong = (byte[])TenantKey.Clone();
        wrong[0] ^= 1;
        var ex = Assert.Throws<SecureChannelException>(() => client.AuthenticateAesKey(BouncyCastleAesFactory.Instance, wrong, 0, CryptoRandomSource.Instance));
        Assert.Equal(SecureChannelError.CardCryptogramMismatch, ex.Error);
    }

    [Fact]
    public void AesKeySession_TamperedInnerCommand_SessionEnds()
    {
        var rig = WithAuthObjects();
        var scp = new Se05xAppletScp03(BouncyCastleAesFactory.Instance, TenantKey, 0);
        byte[] id = Open(rig, TenantAuth, scp);
        var sessions = new Se05xSessionCommands();
        var inner = new byte[300];
        int n = scp.WrapCommand(rig.Buffer, 0, rig.Objects.GetRandom(8, rig.Buffer, 0), inner, 0, out bool longAnswer);
        inner[n - 1] ^= 1; // the C-MAC
        var outer = new byte[400];
        Se05xRig.Reply r = rig.Send(outer, sessions.ProcessSessionCommand(id, 0, inner, 0, n, longAnswer, outer, 0));
        Assert.Equal(0x6982, r.Sw); // GP Amd D §6.2.4: security failure
        Assert.Equal(0, rig.Card.OpenSessions);
        Assert.Equal(0x6985, rig.Send(outer, sessions.ProcessSessionCommand(id, 0, inner, 0, n, longAnswer, outer, 0)).Sw);
    }

    [Fact]
    public void Sessions_GoneAfterDeselect()
    {
        var rig = WithAuthObjects();
        var client = new Se05xAppletSession(new Se05xCardTransport(() => rig.Card), 892);
        client.Open(UserAuth);
        rig.Select();
        Assert.Equal(0, rig.Card.OpenSessions);
        Assert.Equal(Se05xOutcome.ConditionsNotSatisfied, client.VerifyUserId(UserIdValue, 0, UserIdValue.Length));
    }

    internal static Se05xRig WithAuthObjects(int maxAttempts = 0, int appletMajor = 3)
    {
        var rig = new Se05xRig(appletMajor);
        var auth = new Se05xAuthObjectCommands();
        Assert.Equal(0x9000, rig.Run(auth.WriteAesKey(TenantAuth, TenantKey, 0, maxAttempts, null!, 0, 0, rig.Buffer, 0)).Sw);
        Assert.Equal(0x9000, rig.Run(auth.WriteUserId(UserAuth, UserIdValue, 0, UserIdValue.Length, maxAttempts, null!, 0, 0, rig.Buffer, 0)).Sw);
        return rig;
    }

    internal static byte[] Open(Se05xRig rig, uint authId, Se05xAppletScp03 scp)
    {
        var sessions = new Se05xSessionCommands();
        byte[] id = rig.Run(sessions.CreateSession(authId, rig.Buffer, 0)).Data[4..];
        var inner = new byte[64];
        var outer = new byte[128];
        int n = scp.BuildInitializeUpdate(new byte[8], 0, inner, 0);
        byte[] answer = rig.Send(outer, sessions.ProcessSessionCommand(id, 0, inner, 0, n, false, outer, 0)).Whole;
        scp.ProcessInitializeUpdateResponse(answer, 0, answer.Length);
        n = scp.BuildExternalAuthenticate(inner, 0);
        answer = rig.Send(outer, sessions.ProcessSessionCommand(id, 0, inner, 0, n, false, outer, 0)).Whole;
        scp.ProcessExternalAuthenticateResponse(answer, 0, answer.Length);
        return id;
    }

    private static ushort StatusOf(byte[] answer, int n) => (ushort)((answer[n - 2] << 8) | answer[n - 1]);
}
