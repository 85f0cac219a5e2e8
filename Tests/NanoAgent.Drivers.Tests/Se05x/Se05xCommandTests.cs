using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Drivers.Tests.Se05x;

// Expected bytes are assembled by hand from the NXP Plug & Trust middleware (se05x_APDU_impl.h, se05x_tlv.c,
// fsl_sss_se05x_apis.c sss_se05x_channel_txnRaw) and the AN12413 tables quoted in se05x_APDU_apis.h:
// CLA 80, INS/P1/P2 from se05x_enums.h, TLVs tag|len|value, short Lc below 255 bytes without Le, extended Lc and Le 0000
// for the "Case4_ext" commands (ReadObject, GetRandom, I2CM).
public class Se05xCommandTests
{
    private const string Key32 = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
    private readonly byte[] _buffer = new byte[Se05xObjectCommands.MaxCommandLength];
    private readonly Se05xObjectCommands _objects = new();
    private readonly Se05xCryptoCommands _crypto = new();
    private readonly Se05xI2cmCommands _i2cm = new();

    private string Out(int count) => Hex.Of(_buffer, 0, count);

    [Fact]
    public void Select_AppletAid_MatchesMiddlewareGpSelect()
    {
        // sm_const.h APPLET_NAME; global_platf.c GP_Select: 00 A4 04 00 Lc AID 00.
        Assert.Equal("00A4040010A000000396545300000001030000000000", Out(_objects.Select(_buffer, 0)));
    }

    [Fact]
    public void GetVersion_NoPayload_SendsHeaderAndOneZeroByte() =>
        // Se05x_API_GetVersion: Case2 without payload; txnRaw appends one 00.
        Assert.Equal("8004002000", Out(_objects.GetVersion(_buffer, 0)));

    [Fact]
    public void GetRandom_SixteenBytes_ExtendedWithLe() =>
        Assert.Equal("80040049000004" + "41020010" + "0000", Out(_objects.GetRandom(16, _buffer, 0)));

    [Fact]
    public void WriteSymmKey_HmacWithoutPolicy_IdThenKeyValue()
    {
        byte[] key = Hex.Parse(Key32);
        int n = _objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x00001001, key, 0, 32, null!, 0, 0, _buffer, 0);
        Assert.Equal("8001050028" + "410400001001" + "4320" + Key32, Out(n));
    }

    [Fact]
    public void WriteSymmKey_AesWithSignPolicy_PolicyComesFirst()
    {
        byte[] policy = new byte[Se05xPolicy.EntryLength];
        Se05xPolicy.WriteEntry(0, Se05xPolicy.AllowSign, policy, 0);
        Assert.Equal("080000000010000000", Hex.Of(policy));
        byte[] key = Hex.Parse(Key32[..32]);
        int n = _objects.WriteSymmKey(Se05xSymmetricKeyType.Aes, 0x00001002, key, 0, 16, policy, 0, policy.Length, _buffer, 0);
        Assert.Equal("8001030023" + "1109080000000010000000" + "410400001002" + "4310" + Key32[..32], Out(n));
    }

    [Fact]
    public void GenerateEcKeyPair_P256_P1KeyPairEc() =>
        Assert.Equal("8001610009" + "410420000001" + "420103", Out(_objects.GenerateEcKeyPair(0x20000001, null!, 0, 0, _buffer, 0)));

    [Fact]
    public void ReadObject_Extended() =>
        Assert.Equal("80020000000006" + "410420000001" + "0000", Out(_objects.ReadObject(0x20000001, _buffer, 0)));

    [Fact]
    public void CheckObjectExists_And_Delete()
    {
        Assert.Equal("8004002706410420000001", Out(_objects.CheckObjectExists(0x20000001, _buffer, 0)));
        Assert.Equal("8004002806410420000001", Out(_objects.DeleteSecureObject(0x20000001, _buffer, 0)));
    }

    [Fact]
    public void Counters_CreateIncrementSet()
    {
        Assert.Equal("800108000A" + "410430000001" + "42020008", Out(_objects.CreateCounter(0x30000001, 8, 0, null!, 0, 0, _buffer, 0)));
        Assert.Equal("800108000C" + "410430000001" + "430400000005", Out(_objects.CreateCounter(0x30000001, 4, 5, null!, 0, 0, _buffer, 0)));
        Assert.Equal("8001080006410430000001", Out(_objects.IncrementCounter(0x30000001, _buffer, 0)));
        Assert.Equal("8001080010" + "410430000001" + "43080000000000000102", Out(_objects.SetCounter(0x30000001, 8, 0x0102, _buffer, 0)));
        Assert.Equal("80020000000006410430000001" + "0000", Out(_objects.ReadCounter(0x30000001, _buffer, 0)));
    }

    [Theory]
    [InlineData(0, 8, 0ul)]
    [InlineData(1, 9, 0ul)]
    [InlineData(1, 1, 256ul)]
    public void Counters_BadArguments_Throw(uint id, int size, ulong value)
    {
        var e = Assert.Throws<Se05xException>(() => _objects.CreateCounter(id, size, value, null!, 0, 0, _buffer, 0));
        Assert.Equal(Se05xError.InvalidArgument, e.Error);
    }

    [Fact]
    public void MacGenerate_HmacSha256_AlgorithmByte19()
    {
        byte[] data = Hex.Parse("0102");
        Assert.Equal("80030D450D" + "410400001001" + "420119" + "43020102", Out(_crypto.MacGenerate(0x1001, Se05xMacAlgorithm.HmacSha256, data, 0, 2, _buffer, 0)));
    }

    [Fact]
    public void MacValidate_Cmac128_AlgorithmByte31_MacInTag5()
    {
        byte[] data = { 0x01 };
        byte[] mac = Hex.Parse(Key32[..32]);
        int n = _crypto.MacValidate(0x1002, Se05xMacAlgorithm.Cmac128, data, 0, 1, mac, 0, 16, _buffer, 0);
        Assert.Equal("80030D461E" + "410400001002" + "420131" + "430101" + "4510" + Key32[..32], Out(n));
    }

    [Fact]
    public void EcdsaSignAndVerify_Sha256Algorithm21()
    {
        byte[] digest = Hex.Parse(Key32);
        Assert.Equal("80030C092B" + "410420000001" + "420121" + "4320" + Key32, Out(_crypto.EcdsaSign(0x20000001, digest, 0, _buffer, 0)));
        byte[] sig = Hex.Parse("3006020101020102");
        int n = _crypto.EcdsaVerify(0x20000001, digest, 0, sig, 0, sig.Length, _buffer, 0);
        Assert.Equal("80030C0A35" + "410420000001" + "420121" + "4320" + Key32 + "4508" + "3006020101020102", Out(n));
    }

    [Fact]
    public void MacGenerate_LongData_UsesLengthForm82AndExtendedLc()
    {
        byte[] data = new byte[300];
        int n = _crypto.MacGenerate(1, Se05xMacAlgorithm.HmacSha256, data, 0, 300, _buffer, 0);
        // Payload 6 + 3 + 4 + 300 = 313 = 0x139; se05x_tlv.c tlvSet_u8buf: 82 01 2C.
        Assert.Equal("80030D45000139" + "410400000001" + "420119" + "43" + "82012C", Out(13 + 7)[..40]);
        Assert.Equal(7 + 313, n);
    }

    [Theory]
    [InlineData(242, "80030D45FE", 4 + 1 + 254)]
    [InlineData(243, "80030D450000FF", 4 + 3 + 255)]
    public void MacGenerate_PayloadOf255_SwitchesToExtendedLc(int dataLength, string header, int total)
    {
        // sss_se05x_channel_txnRaw: "(cmdBufLen < 0xFF) && !hasle" picks the short Lc.
        int n = _crypto.MacGenerate(1, Se05xMacAlgorithm.HmacSha256, new byte[dataLength], 0, dataLength, _buffer, 0);
        Assert.Equal(total, n);
        Assert.StartsWith(header, Out(n));
    }

    [Fact]
    public void I2cm_CommandSetAndExecute()
    {
        byte[] set = new byte[Se05xI2cmCommandSet.MaxLength];
        int s = Se05xI2cmCommandSet.Configure(0x44, Se05xI2cmCommandSet.Baud400Khz, set, 0);
        s += Se05xI2cmCommandSet.Write(new byte[] { 0x00 }, 0, 1, set, s);
        s += Se05xI2cmCommandSet.Read(6, set, s);
        // fsl_sss_se05x_mw.c Se05x_i2c_master_txn / tlvSet_u8buf_I2CM: tag, 2-byte length, value.
        Assert.Equal("0100024401" + "03000100" + "0400020006", Hex.Of(set, 0, s));
        Assert.Equal("80030030000010" + "410E" + "0100024401030001000400020006" + "0000", Out(_i2cm.Execute(set, 0, s, _buffer, 0)));

        byte[] fresh = Hex.Parse(Key32[..32]);
        string payload = "410E0100024401030001000400020006" + "420420000002" + "430121" + "4710" + Key32[..32];
        Assert.Equal("80230030" + "00002B" + payload + "0000", Out(_i2cm.ExecuteAttested(set, 0, s, 0x20000002, 0x21, fresh, 0, true, _buffer, 0)));
        Assert.Equal("80230030" + "2B" + payload, Out(_i2cm.ExecuteAttested(set, 0, s, 0x20000002, 0x21, fresh, 0, false, _buffer, 0)));
    }
}
