using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Drivers.Tests.Se05x;

// Expected bytes assembled by hand from NXP's middleware: se05x_APDU_impl.h (Se05x_API_CreateSession, VerifySessionUserID,
// CloseSession, WriteUserID, WriteSymmKey, ReadIDList, ReadType, ReadSize, CreateCryptoObject, DeleteCryptoObject, MACInit,
// MACUpdate, MACFinal), se05x_tlv.c (se05x_Transform: ProcessSessionCmd; tlvSet_MaxAttemps leaves out 0) and the Lc/Le rule
// of sss_se05x_channel_txnRaw (short Lc below FF without Le; extended Lc and Le 0000 for the Case4_ext commands).
public class Se05xSessionCommandTests
{
    private static readonly byte[] SessionId = Hex.Parse("0102030405060708");
    private readonly byte[] _buffer = new byte[1200];

    private string Out(int count) => Hex.Of(_buffer, 0, count);

    [Fact]
    public void CreateSession_Case4WithoutLe() =>
        Assert.Equal("8004001B06" + "41047DA00001", Out(new Se05xSessionCommands().CreateSession(0x7DA00001, _buffer, 0)));

    [Fact]
    public void VerifySessionUserId_Case3() =>
        Assert.Equal("8004002C06" + "4104C0FFEE01", Out(new Se05xSessionCommands().VerifySessionUserId(Hex.Parse("C0FFEE01"), 0, 4, _buffer, 0)));

    [Fact]
    public void CloseSession_HeaderOnly() =>
        // se05x_Transform copies the header and adds no Lc for an empty payload; the inner APDU has no Le.
        Assert.Equal("8004001C", Out(new Se05xSessionCommands().CloseSession(_buffer, 0)));

    [Fact]
    public void ProcessSessionCmd_ShortInner_ShortOuterNoLe()
    {
        byte[] inner = Hex.Parse("8004001C");
        int n = new Se05xSessionCommands().ProcessSessionCommand(SessionId, 0, inner, 0, inner.Length, false, _buffer, 0);
        Assert.Equal("8005000010" + "10080102030405060708" + "41048004001C", Out(n));
    }

    [Fact]
    public void ProcessSessionCmd_LongAnswerInner_ExtendedOuterWithLe()
    {
        // ReadObject (Case4_ext): inside, extended Lc and no Le; outside, extended Lc and Le 0000 (hasle passed through).
        int r = new Se05xObjectCommands().ReadObject(0x30000001, _buffer, 0);
        Assert.Equal("80020000000006" + "410430000001" + "0000", Out(r));
        var inner = new byte[64];
        int i = Se05xSessionCommands.ToInner(_buffer, 0, r, inner, 0, out bool longAnswer);
        Assert.True(longAnswer);
        Assert.Equal("80020000000006410430000001", Hex.Of(inner, 0, i));
        int n = new Se05xSessionCommands().ProcessSessionCommand(SessionId, 0, inner, 0, i, longAnswer, _buffer, 0);
        Assert.Equal("80050000000019" + "10080102030405060708" + "410D80020000000006410430000001" + "0000", Out(n));
    }

    [Fact]
    public void ToInner_ShortCommandWithLe_DropsLe()
    {
        byte[] getVersion = Hex.Parse("8004002000");
        var inner = new byte[8];
        Assert.Equal(4, Se05xSessionCommands.ToInner(getVersion, 0, getVersion.Length, inner, 0, out bool longAnswer));
        Assert.False(longAnswer);
        Assert.Equal("80040020", Hex.Of(inner, 0, 4));
    }

    [Fact]
    public void WriteUserId_AuthObjectWithAttemptsAndPolicy()
    {
        byte[] policy = new byte[9];
        Se05xPolicy.WriteEntry(0x7DA00002, Se05xPolicy.AllowDelete, policy, 0);
        int n = new Se05xAuthObjectCommands().WriteUserId(0x7DA00002, Hex.Parse("C0FFEE01"), 0, 4, 5, policy, 0, 9, _buffer, 0);
        Assert.Equal("804107001B" + "1109087DA0000200040000" + "12020005" + "41047DA00002" + "4204C0FFEE01", Out(n));
    }

    [Fact]
    public void WriteAesKey_UnlimitedAttempts_NoMaxAttemptsTag()
    {
        byte[] key = Hex.Parse("000102030405060708090A0B0C0D0E0F");
        int n = new Se05xAuthObjectCommands().WriteAesKey(0x7DA00001, key, 0, 0, null!, 0, 0, _buffer, 0);
        Assert.Equal("8041030018" + "41047DA00001" + "4310000102030405060708090A0B0C0D0E0F", Out(n));
    }

    [Fact]
    public void ObjectQueries_MatchTheMiddleware()
    {
        var q = new Se05xObjectQueries();
        Assert.Equal("80020025000007" + "41020000" + "4201FF" + "0000", Out(q.ReadIdList(0, Se05xCodes.AllTypes, _buffer, 0)));
        Assert.Equal("8002002606" + "410430000001", Out(q.ReadType(0x30000001, _buffer, 0)));
        Assert.Equal("8002000706" + "410430000001", Out(q.ReadSize(0x30000001, _buffer, 0)));
    }

    [Fact]
    public void MacStream_MatchesTheMiddleware()
    {
        var m = new Se05xMacStreamCommands();
        Assert.Equal("800110000A" + "41020101" + "420103" + "430119", Out(m.CreateCryptoObject(0x0101, Se05xMacAlgorithm.HmacSha256, _buffer, 0)));
        Assert.Equal("8004102804" + "41020101", Out(m.DeleteCryptoObject(0x0101, _buffer, 0)));
        Assert.Equal("80030D030A" + "410410000001" + "42020101", Out(m.MacInit(0x10000001, 0x0101, false, _buffer, 0)));
        Assert.Equal("80030D440A" + "410410000001" + "42020101", Out(m.MacInit(0x10000001, 0x0101, true, _buffer, 0)));
        Assert.Equal("80030D0C09" + "4103AABBCC" + "42020101", Out(m.MacUpdate(0x0101, Hex.Parse("AABBCC"), 0, 3, _buffer, 0)));
        Assert.Equal("80030D0D000006" + "4100" + "42020101" + "0000", Out(m.MacFinal(0x0101, null!, 0, 0, null!, 0, 0, _buffer, 0)));
    }

    [Fact]
    public void PayloadAboveTheAppletLimit_PayloadTooLongAndNothingWritten()
    {
        var crypto = new Se05xCryptoCommands(Se05xAppletVersion.MaxPayloadApplet3);
        var data = new byte[890];
        var ex = Assert.Throws<Se05xException>(() => crypto.MacGenerate(1, Se05xMacAlgorithm.HmacSha256, data, 0, data.Length, _buffer, 0));
        Assert.Equal(Se05xError.PayloadTooLong, ex.Error);
        Assert.Contains("892", ex.Message);
        Assert.Equal(0, _buffer[0]);
    }

    [Fact]
    public void AppletVersion_LimitsAndCounterRule()
    {
        Assert.True(Se05xAppletVersion.TryParse(Hex.Parse("0301006FFF010B"), 0, 7, out var se050));
        Assert.Equal(892, se050.MaxPayload);
        Assert.True(se050.PlatformScpCountsDataCommandsOnly);
        Assert.True(Se05xAppletVersion.TryParse(Hex.Parse("0702006FFF010B"), 0, 7, out var se051));
        Assert.Equal(1024, se051.MaxPayload);
        Assert.False(se051.PlatformScpCountsDataCommandsOnly);
    }

    [Fact]
    public void AppletScp03_InitializeUpdateHasNoLe_ExternalAuthenticateAtLevel33()
    {
        var scp = new Se05xAppletScp03(BouncyCastleAesFactory.Instance, new byte[16], 0);
        int n = scp.BuildInitializeUpdate(Hex.Parse("0102030405060708"), 0, _buffer, 0);
        Assert.Equal("80500000080102030405060708", Out(n));
        Assert.Throws<SecureChannelException>(() => scp.BuildExternalAuthenticate(_buffer, 0));
    }
}
