using CsCheck;

namespace NanoAgent.Fleet.Tests;

public class DeviceListTests
{
    [Fact]
    public void Parse_IdsCommentsAndBlankLines()
    {
        Assert.Equal(["meter-0001", "meter-0002", "gw_7.a"], DeviceList.Parse("# the pilot\nmeter-0001\n\n  meter-0002  # spare\r\ngw_7.a\n"));
    }

    [Theory]
    [InlineData("a\nb\na\n", "line 3: device 'a' is listed twice (first on line 1)")]
    [InlineData("a\nmeter/1\n", "line 2: 'meter/1' is not a device id")]
    [InlineData("a\nmeter 1\n", "line 2: 'meter 1' is not a device id")]
    [InlineData("a\n+\n", "line 2: '+' is not a device id")]
    [InlineData("# nothing\n\n", "no device listed")]
    public void Parse_BadList_NamesTheLine(string text, string expected)
    {
        var e = Assert.Throws<DeviceListException>(() => DeviceList.Parse(text));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Parse_IdOf65Characters_IsRefused()
    {
        Assert.Equal(64, DeviceList.Parse(new string('x', 64)).Single().Length);
        Assert.Throws<DeviceListException>(() => DeviceList.Parse(new string('x', 65)));
    }

    [Fact]
    public void Parse_AnyText_ListsValidDistinctIdsOrRefusesWithALine()
    {
        Gen.String[Gen.Char["ab-_.#/ \n\r\t+é0"], 0, 80].Sample(text =>
        {
            try
            {
                List<string> ids = DeviceList.Parse(text);
                Assert.NotEmpty(ids);
                Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
                Assert.All(ids, id => Assert.True(DeviceList.IsValidDeviceId(id)));
            }
            catch (DeviceListException e)
            {
                Assert.DoesNotContain('\n', e.Message);
            }
        }, iter: 5000);
    }

    [Fact]
    public void Parse_ValidIdsWrittenOut_ReadBackTheSame()
    {
        Gen.String[Gen.Char["abcXYZ019._-"], 1, 64].HashSet[1, 40].Sample(set =>
        {
            List<string> ids = [.. set];
            Assert.Equal(ids, DeviceList.Parse(string.Join("\n", ids) + "\n"));
        }, iter: 500);
    }
}
