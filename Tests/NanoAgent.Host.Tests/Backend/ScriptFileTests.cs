using CsCheck;
using NanoAgent.Host.Backend;

namespace NanoAgent.Host.Tests.Backend;

public class ScriptFileTests
{
    [Fact]
    public void Parse_ReadsSdStepsExpectationsAndComments()
    {
        var script = ScriptFile.Parse("""
            # provisioning for tenant A
            sd A000000151535341

            80F28002024F00 expect 9000      # GET STATUS
            80CA9F7F00 expect 61xx continue
            00A4040000
            """);

        Assert.Equal("A000000151535341", Hex.Of(script.SecurityDomain!));
        Assert.Equal(3, script.Steps.Count);
        Assert.Equal("80F28002024F00", Hex.Of(script.Steps[0].Apdu));
        Assert.Equal(4, script.Steps[0].Line);
        Assert.True(script.Steps[1].Accepts(0x6110));
        Assert.False(script.Steps[1].Accepts(0x9000));
        Assert.Equal("61XX", script.Steps[1].ExpectationText);
        Assert.True(script.Steps[1].ContinueOnFailure);
        Assert.Equal("9000", script.Steps[2].ExpectationText);
        Assert.False(script.Steps[2].ContinueOnFailure);
    }

    [Theory]
    [InlineData("80F280020302", "script:1", "not a well-formed command APDU")]
    [InlineData("80F28002024F0", "script:1", "odd number")]
    [InlineData("80F28002024FZZ", "script:1", "not hex")]
    [InlineData("80F28002024F00 expect 90000", "script:1", "4 hex digits")]
    [InlineData("80F28002024F00 expect 90G0", "script:1", "not a status word")]
    [InlineData("80F28002024F00 maybe", "script:1", "unexpected 'maybe'")]
    [InlineData("sd A0000001\n00A4040000", "script:1", "5 to 16 bytes")]
    [InlineData("sd A000000151\nsd A000000152\n00A4040000", "script:2", "once")]
    [InlineData("# nothing\n", "script", "no APDU")]
    public void Parse_Malformed_SaysWhereAndWhat(string text, string where, string what)
    {
        var e = Assert.Throws<ScriptFileException>(() => ScriptFile.Parse(text));
        Assert.StartsWith(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void Parse_RandomText_OnlyEverThrowsScriptFileException()
    {
        string[] pieces = ["0", "8", "A", "F", "X", " ", "\n", "#", "sd ", "expect ", "continue", "00A40400", "9000", "\t", "z"];
        Gen.Int[0, pieces.Length - 1].Select(i => pieces[i]).Array[0, 40].Select(parts => string.Concat(parts)).Sample(text =>
        {
            try
            {
                ScriptFile.Parse(text);
            }
            catch (ScriptFileException)
            {
            }
        }, iter: 5000);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var e = Assert.Throws<ScriptFileException>(() => ScriptFile.Load("/nonexistent/x.apdu"));
        Assert.Contains("/nonexistent/x.apdu", e.Message);
    }
}
