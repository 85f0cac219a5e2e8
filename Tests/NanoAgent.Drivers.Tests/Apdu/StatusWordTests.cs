using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Tests.Apdu;

public class StatusWordTests
{
    [Fact]
    public void Read_TakesLastTwoBytes()
    {
        byte[] rsp = Hex.Parse("FF 0102 6A82 FF");
        ushort sw = StatusWord.Read(rsp, 1, 4);
        Assert.Equal(0x6A82, sw);
        Assert.Equal(0x6A, StatusWord.Sw1(sw));
        Assert.Equal(0x82, StatusWord.Sw2(sw));
    }

    [Theory]
    [InlineData("90")]
    [InlineData("")]
    public void Read_FewerThanTwoBytes_ThrowsResponseTooShort(string hex)
    {
        byte[] rsp = Hex.Parse(hex);
        var ex = Assert.Throws<ApduException>(() => StatusWord.Read(rsp, 0, rsp.Length));
        Assert.Equal(ApduError.ResponseTooShort, ex.Error);
    }

    // ISO/IEC 7816-4 §5.6 Table 5: 9000 and 61xx are normal processing, 62xx/63xx warnings, 64xx-6Fxx errors.
    [Theory]
    [InlineData(0x9000, true, false, false, false)]
    [InlineData(0x6110, true, false, false, false)]
    [InlineData(0x6283, false, true, false, false)]
    [InlineData(0x63C2, false, true, false, false)]
    [InlineData(0x6581, false, false, true, false)]
    [InlineData(0x6A82, false, false, true, false)]
    [InlineData(0x6C10, false, false, false, true)]
    [InlineData(0x9001, false, false, false, false)]
    public void Classify_FollowsIsoTable5(int sw, bool success, bool warning, bool error, bool wrongLe)
    {
        Assert.Equal(success, StatusWord.IsSuccess((ushort)sw));
        Assert.Equal(warning, StatusWord.IsWarning((ushort)sw));
        Assert.Equal(error, StatusWord.IsError((ushort)sw));
        Assert.Equal(wrongLe, StatusWord.IsWrongLe((ushort)sw));
    }

    [Theory]
    [InlineData(0x63C3, 3)]
    [InlineData(0x63C0, 0)]
    [InlineData(0x63CF, 15)]
    [InlineData(0x6300, -1)]
    [InlineData(0x9000, -1)]
    public void TriesLeft_Reads63Cx(int sw, int tries)
    {
        Assert.Equal(tries, StatusWord.TriesLeft((ushort)sw));
    }

    [Theory]
    [InlineData(0x6100, 256)]
    [InlineData(0x6110, 16)]
    [InlineData(0x6C01, 1)]
    public void AnnouncedLength_ZeroMeans256(int sw, int length)
    {
        Assert.Equal(length, StatusWord.AnnouncedLength((ushort)sw));
    }

    // Meanings from ISO/IEC 7816-4 §5.6 Table 6 and GPC v2.3.1 §11 response tables.
    [Theory]
    [InlineData(0x9000, "9000: success")]
    [InlineData(0x6A82, "6A82: file or application not found")]
    [InlineData(0x6982, "6982: security status not satisfied")]
    [InlineData(0x6985, "6985: conditions of use not satisfied")]
    [InlineData(0x6A88, "6A88: referenced data or reference data not found")]
    [InlineData(0x6884, "6884: command chaining not supported")]
    [InlineData(0x63C3, "63C3: verification failed, 3 tries left")]
    [InlineData(0x63C1, "63C1: verification failed, 1 try left")]
    [InlineData(0x6110, "6110: 16 more bytes available (GET RESPONSE)")]
    [InlineData(0x6100, "6100: 256 more bytes available (GET RESPONSE)")]
    [InlineData(0x6C2A, "6C2A: wrong Le, exact length is 42")]
    [InlineData(0x6D00, "6D00: instruction code not supported or invalid")]
    [InlineData(0x6E00, "6E00: class not supported")]
    [InlineData(0x6A99, "6A99: wrong parameters")]
    [InlineData(0x0000, "0000: unknown status word")]
    public void Describe_GivesPlainWords(int sw, string expected)
    {
        Assert.Equal(expected, StatusWordText.Describe((ushort)sw));
    }

    [Fact]
    public void Describe_EveryWord_HasFourHexDigitsAndText()
    {
        for (int sw = 0; sw <= 0xFFFF; sw++)
        {
            string text = StatusWordText.Describe((ushort)sw);
            Assert.Equal(sw.ToString("X4"), text.Substring(0, 4));
            Assert.True(text.Length > 6);
        }
    }
}
