using NanoAgent.Drivers.Se05x;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>
/// TAG_MAX_ATTEMPTS (se05x_APDU_apis.h WriteUserID / WriteSymmKey: "maximum number of attempts", 0 = unlimited): every
/// failed authentication counts, persistently; at the maximum the object is blocked and CreateSession answers 6985 (the
/// only failure NXP documents for it: "the authenticator does not exist"), even with the right credential afterwards.
/// </summary>
public class Se05xAttemptTests
{
    private const uint UserAuth = 0x7DA00002;
    private const uint TenantAuth = 0x7DA00001;
    private static readonly byte[] UserIdValue = "C0FFEE01"u8.ToArray();

    [Fact]
    public void UserId_ThreeWrongValues_BlockedAcrossPowerCycles()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var rig = new Se05xRig(path: Path.Combine(dir, "se.se05x.json"));
            var auth = new Se05xAuthObjectCommands();
            rig.Run(auth.WriteUserId(UserAuth, UserIdValue, 0, UserIdValue.Length, 3, null!, 0, 0, rig.Buffer, 0));
            var client = new Se05xAppletSession(new Se05xCardTransport(() => rig.Card), 892);
            client.Open(UserAuth);
            Assert.Equal(Se05xOutcome.ConditionsNotSatisfied, client.VerifyUserId("WRONG001"u8.ToArray(), 0, 8));
            Assert.Equal(Se05xOutcome.ConditionsNotSatisfied, client.VerifyUserId("WRONG002"u8.ToArray(), 0, 8));

            rig.Reboot(); // the count survives the power cycle
            Assert.Equal(2, rig.Card.Snapshot().Find(UserAuth)!.FailedAttempts);
            client.Open(UserAuth);
            Assert.Equal(Se05xOutcome.ConditionsNotSatisfied, client.VerifyUserId("WRONG003"u8.ToArray(), 0, 8));
            Assert.Equal(Se05xOutcome.ConditionsNotSatisfied, client.VerifyUserId(UserIdValue, 0, UserIdValue.Length));
            Assert.Equal(3, rig.Card.Snapshot().Find(UserAuth)!.FailedAttempts);

            rig.Reboot();
            Assert.Equal(Se05xOutcome.ConditionsNotSatisfied, client.Open(UserAuth));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void UserId_SuccessResetsTheCount()
    {
        var rig = new Se05xRig();
        rig.Run(new Se05xAuthObjectCommands().WriteUserId(UserAuth, UserIdValue, 0, UserIdValue.Length, 3, null!, 0, 0, rig.Buffer, 0));
        var client = new Se05xAppletSession(new Se05xCardTransport(() => rig.Card), 892);
        client.Open(UserAuth);
        client.VerifyUserId("WRONG001"u8.ToArray(), 0, 8);
        client.VerifyUserId("WRONG002"u8.ToArray(), 0, 8);
        Assert.Equal(Se05xOutcome.Success, client.VerifyUserId(UserIdValue, 0, UserIdValue.Length));
        Assert.Equal(0, rig.Card.Snapshot().Find(UserAuth)!.FailedAttempts);
    }

    [Fact]
    public void AesKey_ForgedExternalAuthenticate_CountsUntilBlocked()
    {
        var rig = new Se05xRig();
        byte[] key = new byte[16];
        rig.Run(new Se05xAuthObjectCommands().WriteAesKey(TenantAuth, key, 0, 2, null!, 0, 0, rig.Buffer, 0));
        var sessions = new Se05xSessionCommands();
        byte[] id = rig.Run(sessions.CreateSession(TenantAuth, rig.Buffer, 0)).Data[4..];
        var outer = new byte[128];
        for (int attempt = 1; attempt <= 2; attempt++)
        {
            byte[] initialize = Hex.Parse("8050000008 0102030405060708");
            Assert.Equal(0x9000, rig.Send(outer, sessions.ProcessSessionCommand(id, 0, initialize, 0, initialize.Length, false, outer, 0)).Sw);
            byte[] forged = Hex.Parse("8482330010 00112233445566778899AABBCCDDEEFF");
            // GP Amd D §7.1.2: a wrong host cryptogram is 6300; each one uses an attempt.
            Assert.Equal(0x6300, rig.Send(outer, sessions.ProcessSessionCommand(id, 0, forged, 0, forged.Length, false, outer, 0)).Sw);
            Assert.Equal(attempt, rig.Card.Snapshot().Find(TenantAuth)!.FailedAttempts);
        }

        byte[] again = Hex.Parse("8050000008 0102030405060708");
        Assert.Equal(0x6985, rig.Send(outer, sessions.ProcessSessionCommand(id, 0, again, 0, again.Length, false, outer, 0)).Sw);
        Assert.Equal(0x6985, rig.Run(sessions.CreateSession(TenantAuth, rig.Buffer, 0)).Sw);
    }

    [Fact]
    public void MaxAttempts_OnUserIdAbove255_6A80_OnNonAuthObject_6A80()
    {
        // se05x_APDU_apis.h WriteUserID: "For pins, the maximum number of attempts must be smaller than 256"; TAG_MAX_ATTEMPTS
        // only "when ... INS includes INS_AUTH_OBJECT".
        var rig = new Se05xRig();
        Assert.Equal(0x6A80, rig.Send("80410700 14 12020100 41047DA00002 4208C0FFEE01C0FFEE01").Sw);
        Assert.Equal(0x6A80, rig.Send("80010800 0E 12020003 410430000001 42020004").Sw);
    }
}
