using CsCheck;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Drivers.Tests.Se05x;

// Response layouts from AN12413 R-APDU tables as quoted in se05x_APDU_apis.h and read by se05x_APDU_impl.h;
// I2CM result layout from fsl_sss_se05x_mw.c Se05x_i2c_master_txn; samples are hand-made to those layouts.
public class Se05xResponseTests
{
    [Theory]
    [InlineData("6985", Se05xOutcome.ConditionsNotSatisfied)]
    [InlineData("6A80", Se05xOutcome.WrongData)]
    [InlineData("6982", Se05xOutcome.SecurityStatusNotSatisfied)]
    [InlineData("6986", Se05xOutcome.CommandNotAllowed)]
    [InlineData("6A84", Se05xOutcome.FileFull)]
    [InlineData("6F00", Se05xOutcome.OtherError)]
    public void ErrorStatusWords_BecomeOutcomes(string sw, Se05xOutcome expected)
    {
        byte[] r = Hex.Parse(sw);
        Assert.Equal(expected, Se05xResponse.ReadStatus(r, 0, 2));
        Assert.Equal(expected, Se05xResponse.ReadTag1(r, 0, 2, out _, out int length));
        Assert.Equal(0, length);
        Assert.Equal(expected, Se05xResponse.ReadResult(r, 0, 2, out bool ok));
        Assert.False(ok);
    }

    [Fact]
    public void ReadResult_SuccessAndFailure()
    {
        Assert.Equal(Se05xOutcome.Success, Se05xResponse.ReadResult(Hex.Parse("4101019000"), 0, 5, out bool ok));
        Assert.True(ok);
        Assert.Equal(Se05xOutcome.Success, Se05xResponse.ReadResult(Hex.Parse("4101029000"), 0, 5, out ok));
        Assert.False(ok);
    }

    [Theory]
    [InlineData("4101039000")]
    [InlineData("420101 9000")]
    [InlineData("410101 420100 9000")]
    [InlineData("4105 0102 9000")]
    public void ReadResult_Malformed_Throws(string hex)
    {
        byte[] r = Hex.Parse(hex);
        var e = Assert.Throws<Se05xException>(() => Se05xResponse.ReadResult(r, 0, r.Length, out _));
        Assert.Equal(Se05xError.MalformedResponse, e.Error);
    }

    [Fact]
    public void ReadCounter_EightBytes()
    {
        byte[] r = Hex.Parse("4108 0000000000000105 9000");
        Assert.Equal(Se05xOutcome.Success, Se05xResponse.ReadCounter(r, 0, r.Length, out ulong value, out int size));
        Assert.Equal(0x105ul, value);
        Assert.Equal(8, size);
    }

    [Fact]
    public void ReadTag1_LongForm81()
    {
        byte[] r = Hex.Parse("418180" + new string('A', 256) + "9000");
        Assert.Equal(Se05xOutcome.Success, Se05xResponse.ReadTag1(r, 0, r.Length, out int at, out int length));
        Assert.Equal(3, at);
        Assert.Equal(128, length);
    }

    [Fact]
    public void ReadStatus_OneByte_ThrowsTooShort() =>
        Assert.Equal(Se05xError.ResponseTooShort, Assert.Throws<Se05xException>(() => Se05xResponse.ReadStatus(new byte[] { 0x90 }, 0, 1)).Error);

    [Fact]
    public void AppletVersion_SevenBytes()
    {
        // sm_connect.c: "2.5.3 returns 7 bytes"; AppletConfig 3FFF has the I2CM bit 2000.
        Assert.True(Se05xAppletVersion.TryParse(Hex.Parse("0701003FFF0101"), 0, 7, out var v));
        Assert.Equal((7, 1, 0), (v.Major, v.Minor, v.Patch));
        Assert.True(v.HasI2cMaster);
        Assert.Equal(0x0101, v.SecureBoxVersion);
        Assert.False(Se05xAppletVersion.TryParse(Hex.Parse("070100"), 0, 3, out _));
    }

    [Fact]
    public void I2cmWalk_ConfigureWriteRead_FindsData()
    {
        byte[] r = Hex.Parse("015A 035A 045A 0003 112233");
        Assert.Equal(Se05xI2cmResult.Success, Se05xI2cmResult.Walk(r, 0, r.Length, out int at, out int length));
        Assert.Equal("112233", Hex.Of(r, at, length));
        Assert.Equal(0x01, Se05xI2cmResult.Walk(Hex.Parse("015A 0301"), 0, 4, out _, out _));
        Assert.Equal(0x12, Se05xI2cmResult.Walk(Hex.Parse("FF12"), 0, 2, out _, out _));
        Assert.Throws<Se05xException>(() => Se05xI2cmResult.Walk(Hex.Parse("045A 0005 11"), 0, 5, out _, out _));
    }

    [Fact]
    public void AttestedI2cm_Applet7Layout()
    {
        string chip = new string('C', 36), ts = new string('7', 24), sig = "3006020101020102";
        byte[] r = Hex.Parse("4109 015A035A045A000111" + "4212" + chip + "44020000" + "4F0C" + ts + "5208" + sig + "9000");
        Assert.Equal(Se05xOutcome.Success, Se05xAttestedI2cmResponse.TryParse(r, 0, r.Length, true, out var p));
        Assert.Equal("015A035A045A000111", Hex.Of(r, p.ResultOffset, p.ResultLength));
        Assert.Equal(chip, Hex.Of(r, p.ChipIdOffset, p.ChipIdLength));
        Assert.Equal(ts, Hex.Of(r, p.TimestampOffset, p.TimestampLength));
        Assert.Equal(sig, Hex.Of(r, p.SignatureOffset, p.SignatureLength));
        Assert.Equal(r.Length - 2 - 10, p.SignedLength);
        Assert.Throws<Se05xException>(() => Se05xAttestedI2cmResponse.TryParse(r, 0, r.Length, false, out _));
    }

    [Fact]
    public void Parsers_RandomBytes_ThrowOnlySe05xException()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            Try(() => Se05xResponse.ReadTag1(bytes, 0, bytes.Length, out _, out _));
            Try(() => Se05xResponse.ReadResult(bytes, 0, bytes.Length, out _));
            Try(() => Se05xResponse.ReadCounter(bytes, 0, bytes.Length, out _, out _));
            Try(() => Se05xAttestedI2cmResponse.TryParse(bytes, 0, bytes.Length, true, out _));
            Try(() => Se05xAttestedI2cmResponse.TryParse(bytes, 0, bytes.Length, false, out _));
            Try(() => Se05xI2cmResult.Walk(bytes, 0, bytes.Length, out _, out _));
            Se05xAppletVersion.TryParse(bytes, 0, bytes.Length, out _);
        }, iter: 2000);
    }

    [Fact]
    public void Parsers_RandomTlvWith9000_ThrowOnlySe05xException()
    {
        // Biased towards plausible answers: a TAG_1-ish byte stream ending in 9000.
        Gen.Byte.Array[0, 200].Select(b => b.Prepend((byte)0x41).Concat(new byte[] { 0x90, 0x00 }).ToArray()).Sample(bytes =>
        {
            Try(() => Se05xResponse.ReadCounter(bytes, 0, bytes.Length, out _, out _));
            Try(() => Se05xAttestedI2cmResponse.TryParse(bytes, 0, bytes.Length, true, out _));
        }, iter: 2000);
    }

    private static void Try(Action parse)
    {
        try
        {
            parse();
        }
        catch (Se05xException)
        {
        }
    }
}
