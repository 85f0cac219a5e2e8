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

    [Fact]
    public void Parse_CommandsByName_BuildTheirApdus()
    {
        // docs/script-format.md, "Commands by name": PUT KEY encrypted under the session's DEK, INSTALL and INSTALL [for personalization].
        using var dir = new TempDir();
        AgentRig.WriteKeys(dir.File("acme-keys.json"), 0x30, 0x20);
        Drivers.Scp03.Scp03StaticKeys session = AgentRig.MakeKeys(0x01, 0x10);
        File.WriteAllText(dir.File("onboard.apdu"), """
            sd A000000151000000
            install F06E616E6F01 F06E616E6F0101 A0000001515350410A 804000
            personalize A0000001515350410A
            put-key acme-keys.json          # relative to the script's folder
            put-key acme-keys.json replace 30 expect 9000 continue
            install F06E616E6F01 F06E616E6F0101 F06E616E6F47410A
            delete-key 60
            """);

        ScriptFile script = ScriptFile.Load(dir.File("onboard.apdu"), session);

        byte[] buffer = new byte[300];
        byte[] acme = Hex.Parse("A0000001515350410A");
        Assert.Equal(buffer[..Drivers.Gp.GpInstall.BuildForInstallAndMakeSelectable(Hex.Parse("F06E616E6F01"), Hex.Parse("F06E616E6F0101"), acme, [0x80, 0x40, 0x00], [], buffer, 0)], script.Steps[0].Apdu);
        Assert.Equal(buffer[..Drivers.Gp.GpInstall.BuildForPersonalization(acme, 0, acme.Length, buffer, 0)], script.Steps[1].Apdu);
        Drivers.Scp03.Scp03StaticKeys keys = AgentRig.MakeKeys(0x30, 0x20);
        Assert.Equal(buffer[..Drivers.Gp.GpPutKey.Build(keys, session, 0x00, buffer, 0)], script.Steps[2].Apdu);
        Assert.Equal(buffer[..Drivers.Gp.GpPutKey.Build(keys, session, 0x30, buffer, 0)], script.Steps[3].Apdu);
        Assert.True(script.Steps[3].ContinueOnFailure);
        Assert.Equal([0x01, 0x00], script.Steps[4].Apdu[^7..^5]); // privileges 00 by default: L 01, 00; then C9, token, Le
        Assert.Equal(6, script.Steps[4].Line);
        Assert.Equal("80E4000003D2016000", Hex.Of(script.Steps[5].Apdu)); // GPC v2.3.1 §11.2.2.3
    }

    [Theory]
    [InlineData("put-key k.json", "script:1", "needs the session's keys")]
    [InlineData("put-key", "script:1", "put-key <key file>")]
    [InlineData("put-key k.json replace 80", "script:1", "not a key version")]
    [InlineData("put-key k.json swap 30", "script:1", "put-key <key file>")]
    [InlineData("install F06E616E6F01 F06E616E6F0101", "script:1", "install <load file AID>")]
    [InlineData("install F06E616E6F01 F06E616E6F0101 A000 00", "script:1", "install:")]
    [InlineData("install F06E616E6F01 F06E616E6F0101 A0000001515350410A 8040", "script:1", "install:")]
    [InlineData("install F06E616E6F01 F06E616E6F0101 A0000001515350410A 80400Z", "script:1", "not hex")]
    [InlineData("personalize", "script:1", "personalize <AID>")]
    [InlineData("delete-key", "script:1", "delete-key <KVN>")]
    [InlineData("delete-key 80", "script:1", "delete-key <KVN>")]
    [InlineData("personalize A0", "script:1", "personalize:")]
    public void Parse_CommandsByName_Malformed_SaysWhereAndWhat(string text, string where, string what)
    {
        var e = Assert.Throws<ScriptFileException>(() => ScriptFile.Parse(text));
        Assert.StartsWith(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void Parse_PutKeyOfAMissingOrOpenKeyFile_NamesTheLineAndTheFile()
    {
        using var dir = new TempDir();
        Drivers.Scp03.Scp03StaticKeys session = AgentRig.MakeKeys(0x01, 0x10);
        var missing = Assert.Throws<ScriptFileException>(() => ScriptFile.Parse("put-key nothere.json", dir.File("s.apdu"), session));
        Assert.StartsWith(dir.File("s.apdu") + ":1: put-key: ", missing.Message);
        Assert.Contains("nothere.json", missing.Message);

        AgentRig.WriteKeys(dir.File("open.json"), 0x30, 0x20);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(dir.File("open.json"), (UnixFileMode)0b110_100_100);
        var open = Assert.Throws<ScriptFileException>(() => ScriptFile.Parse("put-key open.json", dir.File("s.apdu"), session));
        Assert.Contains("open.json", open.Message);
    }

    [Fact]
    public void Parse_RandomCommandsByName_OnlyEverThrowsScriptFileException()
    {
        string[] pieces = ["put-key ", "delete-key ", "install ", "personalize ", "replace ", "k.json", "A0000001515350410A", "F06E616E6F01", "80", "4000", "Z", " ", "\n", "expect ", "9000", "continue", "30"];
        Drivers.Scp03.Scp03StaticKeys session = AgentRig.MakeKeys(0x01, 0x10);
        Gen.Int[0, pieces.Length - 1].Select(i => pieces[i]).Array[0, 30].Select(parts => string.Concat(parts)).Sample(text =>
        {
            try
            {
                ScriptFile.Parse(text, "/nonexistent/s.apdu", session);
            }
            catch (ScriptFileException)
            {
            }
        }, iter: 3000);
    }
}
