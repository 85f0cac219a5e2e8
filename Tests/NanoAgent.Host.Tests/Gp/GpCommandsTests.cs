using NanoAgent.Host.Cli;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Gp;

/// <summary>The card-manager CLI against the virtual SE (state in a temp file, so nothing touches ~/.nanoagent).</summary>
public sealed class GpCommandsTests : IDisposable
{
    private const string Isd = "A000000151000000";
    private const string Elf = "F06E616E6F01";
    private const string Module = "F06E616E6F0101";
    private readonly TempDir _dir = new();

    private string State => _dir.File("se.json");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Keygen_WritesMode600File_PrintsKcvNeverKeys()
    {
        string file = _dir.File("k.json");
        CliRun run = CliRun.Of("gp", "keygen", "--out", file, "--kvn", "31");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Matches("KVN 31 AES-128 KCV ENC [0-9A-F]{6} MAC [0-9A-F]{6} DEK [0-9A-F]{6}", run.Output);
        string json = File.ReadAllText(file);
        string enc = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("enc").GetString()!;
        Assert.DoesNotContain(enc, run.Output);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal(ExitCodes.Usage, CliRun.Of("gp", "keygen", "--out", file).ExitCode); // never overwritten without --force: bad input
        Assert.Equal(ExitCodes.Usage, CliRun.Of("gp", "keygen", "--out", _dir.File("x.json"), "--kvn", "80").ExitCode);
    }

    [Theory]
    [InlineData(false, "S8")]
    [InlineData(true, "S16")]
    public void Scp03Open_PrintsKcvLevelCounter_AndUnwrapsResponses(bool s16, string mode)
    {
        var args = new List<string> { "scp03", "open", "--state", State, "--keys", "default", "--apdu", "80CA00E000" };
        if (s16)
        {
            args.Add("--s16");
        }

        CliRun run = CliRun.Of([.. args]);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("KVN FF AES-128 KCV ENC", run.Output);
        Assert.Matches($"Session open: level 33, {mode}, i parameter 7[01], sequence counter [0-9]+", run.Output);
        Assert.Contains("SCP03 session open to " + Isd, run.Output);
        Assert.Contains("  > 80CA00E000", run.Output);
        Assert.Matches("(?m)^  >> 84CA00E0", run.Output);
        Assert.Matches("(?m)^  < E0[0-9A-F]+$", run.Output);
        Assert.DoesNotContain("404142434445464748494A4B4C4D4E4F", run.Output);
    }

    [Fact]
    public void Scp03Open_WrongKeys_FailsClearly()
    {
        string file = _dir.File("k.json");
        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "keygen", "--out", file, "--kvn", "7F").ExitCode);
        CliRun run = CliRun.Of("scp03", "open", "--state", State, "--keys", file);
        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("no key set with this key version", run.Error);
    }

    [Fact]
    public void List_ShowsIsdElfAndApplicationAsTable()
    {
        CliRun run = CliRun.Of("gp", "list", "--state", State, "--keys", "default");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Matches("(?m)^AID +KIND +LIFECYCLE +PRIVILEGES +ASSOCIATED SD$", run.Output);
        Assert.Matches($"(?m)^{Isd} +ISD +[A-Z_]+ +[0-9A-F]+", run.Output);
        Assert.Matches($"(?m)^{Elf} +ELF +LOADED", run.Output);
        Assert.Matches($"(?m)^[0-9A-F]+ +APP +SELECTABLE +000000 +{Isd}$", run.Output);
    }

    [Fact]
    public void Install_ThenDelete_NeedsYes_DryRunSendsNothing()
    {
        const string App = "F06E616E6F0101C3";
        CliRun install = CliRun.Of("gp", "install", "--state", State, "--keys", "default", "--elf", Elf, "--module", Module, "--instance", App);
        Assert.Equal(ExitCodes.Ok, install.ExitCode);
        Assert.Matches($"(?m)^{App} +APP +SELECTABLE", CliRun.Of("gp", "list", "--state", State, "--keys", "default").Output);

        CliRun refused = CliRun.Of("gp", "delete", "--state", State, "--keys", "default", App);
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("cannot be undone", refused.Error);
        Assert.Contains("--yes", refused.Error);

        byte[] before = File.ReadAllBytes(State);
        CliRun dry = CliRun.Of("gp", "delete", "--state", State, "--keys", "default", "--dry-run", App);
        Assert.Equal(ExitCodes.Ok, dry.ExitCode);
        Assert.Contains("DRY RUN: nothing is sent", dry.Output);
        Assert.Contains($"  > 00A4040008{Isd}00", dry.Output);
        Assert.Matches("(?m)^  > 8050FF0008[0-9A-F]{16}00$", dry.Output);
        Assert.Matches("(?m)^  > 848233", dry.Output);
        Assert.Contains($"  > 80E400000A4F08{App}00", dry.Output);
        Assert.Matches("(?m)^  >> 84E40000[0-9A-F]+$", dry.Output);
        Assert.Equal(before, File.ReadAllBytes(State));

        CliRun deleted = CliRun.Of("gp", "delete", "--state", State, "--keys", "default", "--yes", App);
        Assert.Equal(ExitCodes.Ok, deleted.ExitCode);
        Assert.DoesNotContain(App, CliRun.Of("gp", "list", "--state", State, "--keys", "default").Output);
    }

    [Theory]
    [InlineData("card-lock")]
    [InlineData("card-terminate")]
    public void CardLifeCycle_WithoutYes_Refused_StateUntouched(string command)
    {
        CliRun.Of("gp", "list", "--state", State, "--keys", "default");
        byte[] before = File.ReadAllBytes(State);
        CliRun run = CliRun.Of("gp", command, "--state", State, "--keys", "default");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Refusing", run.Error);
        Assert.Equal(before, File.ReadAllBytes(State));

        CliRun dry = CliRun.Of("gp", command, "--state", State, "--keys", "default", "--dry-run");
        Assert.Contains(command == "card-lock" ? "  > 80F0807F" : "  > 80F080FF", dry.Output);
        Assert.Equal(before, File.ReadAllBytes(State));
    }

    [Fact]
    public void LockUnlock_Application()
    {
        const string App = "F06E616E6F0101C4";
        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "install", "--state", State, "--keys", "default", "--elf", Elf, "--module", Module, "--instance", App).ExitCode);
        Assert.Equal(ExitCodes.Usage, CliRun.Of("gp", "lock", "--state", State, "--keys", "default", App).ExitCode);
        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "lock", "--state", State, "--keys", "default", "--yes", App).ExitCode);
        Assert.Matches($"(?m)^{App} +APP +LOCKED", CliRun.Of("gp", "list", "--state", State, "--keys", "default").Output);
        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "unlock", "--state", State, "--keys", "default", App).ExitCode);
        Assert.Matches($"(?m)^{App} +APP +SELECTABLE", CliRun.Of("gp", "list", "--state", State, "--keys", "default").Output);
    }

    [Fact]
    public void PutKey_RotatesIsdKeys_OldStopsWorking_RerunIsCompleted()
    {
        string file = _dir.File("k31.json");
        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "keygen", "--out", file, "--kvn", "31").ExitCode);

        CliRun dry = CliRun.Of("gp", "put-key", "--state", State, "--keys", "default", "--new-keys", file, "--dry-run");
        Assert.Equal(ExitCodes.Ok, dry.ExitCode);
        Assert.Matches("(?m)^  > 80D80081[0-9A-F]{2}31", dry.Output); // add (P1 00), several keys from id 1, KVN 31
        Assert.Contains("  > 80E4000003D201FF00", dry.Output);

        CliRun run = CliRun.Of("gp", "put-key", "--state", State, "--keys", "default", "--new-keys", file);
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("new: SCP03 keys KVN 31", run.Output);
        Assert.Contains("step: PUT KEY (add new key version): ok", run.Output);
        Assert.Contains("step: prove new keys: ok", run.Output);
        Assert.Contains("step: DELETE old key version: ok", run.Output);
        Assert.Contains("outcome: Completed", run.Output);
        Assert.Contains("keys that open now: new", run.Output);

        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "list", "--state", State, "--keys", file).ExitCode);
        Assert.Equal(ExitCodes.Failed, CliRun.Of("scp03", "open", "--state", State, "--keys", "default").ExitCode);
        CliRun again = CliRun.Of("gp", "put-key", "--state", State, "--keys", "default", "--new-keys", file);
        Assert.Equal(ExitCodes.Ok, again.ExitCode);
        Assert.DoesNotContain("PUT KEY", again.Output);
    }

    [Fact]
    public void AddRequestKey_PutsAKvn60KeySetIntoTheIsd_RefusesOtherVersions_KeepsTheSessionKeys()
    {
        string request = _dir.File("req.json"), other = _dir.File("k31.json");
        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "keygen", "--out", request, "--kvn", "60").ExitCode);
        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "keygen", "--out", other, "--kvn", "31").ExitCode);

        CliRun dry = CliRun.Of("gp", "add-request-key", "--state", State, "--keys", "default", "--request-key", request, "--dry-run");
        Assert.Equal(ExitCodes.Ok, dry.ExitCode);
        Assert.Matches("(?m)^  > 80D80081[0-9A-F]{2}60", dry.Output); // PUT KEY, add (P1 00), KVN 60

        CliRun run = CliRun.Of("gp", "add-request-key", "--state", State, "--keys", "default", "--request-key", request);
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Output + run.Error);
        var isd = new NanoAgent.VirtualSe.State.CardStateStore(State).Load().Isd.Domain!;
        Assert.Contains(isd.KeySets, k => k.KeyVersion == 0x60);
        Assert.Contains(isd.KeySets, k => k.KeyVersion == 0xFF); // an addition, not a rotation

        CliRun wrong = CliRun.Of("gp", "add-request-key", "--state", State, "--keys", "default", "--request-key", other);
        Assert.Equal(ExitCodes.Usage, wrong.ExitCode);
        Assert.Contains("a request key set has a version 60 to 6F", wrong.Error);
    }

    [Theory]
    [InlineData("gp", "list")]
    [InlineData("gp", "list", "--keys", "default", "--sd", "ZZ")]
    [InlineData("gp", "list", "--keys", "default", "--level", "qq")]
    [InlineData("gp", "delete", "--keys", "default")]
    public void BadCommandLine_ExitsWithUsage(params string[] args)
    {
        Assert.Equal(ExitCodes.Usage, CliRun.Of([.. args, "--state", State]).ExitCode);
    }

    [Theory]
    [InlineData("gp")]
    [InlineData("gp", "put-key")]
    [InlineData("gp", "add-request-key")]
    [InlineData("scp03", "open")]
    public void Help_Works(params string[] args)
    {
        CliRun run = CliRun.Of([.. args, "--help"]);
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("Usage", run.Output);
    }
}
