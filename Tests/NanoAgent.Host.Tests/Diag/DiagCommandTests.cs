using System.Text.Json;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Diag;

public class DiagCommandTests
{
    [Theory]
    [InlineData("se05x")]
    [InlineData("gp")]
    public void Diag_HealthyVirtualSe_PassesAndShowsRoundTrips(string protocol)
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("diag", "--state", dir.File("se.json"), "--protocol", protocol, "--echo", "4");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Matches("(?m)^PASS +identify ", run.Output);
        Assert.Contains("4 APDU round trips, no errors, no retries, round trip min/avg/max", run.Output);
        Assert.EndsWith("Result: PASS" + Environment.NewLine, run.Output);
    }

    [Theory]
    [InlineData("absent", ExitCodes.NoDevice, "no ACK at 0x48: check SDA/SCL wiring, pull-ups and power")]
    [InlineData("wrong-address", ExitCodes.NoDevice, "device at 0x49, not 0x48: wrong address?")]
    [InlineData("stuck-nack", ExitCodes.NoDevice, "the SE NACKs forever: held in reset or busy — check the ENA/RST pin")]
    [InlineData("stuck-bus", ExitCodes.NoDevice, "SDA or SCL is held low")]
    [InlineData("crc", ExitCodes.Failed, "frames from the SE arrive corrupt at 1000 kHz")]
    [InlineData("wrong-protocol", ExitCodes.Failed, "the ATR does not parse as se05x but the SE answers GP T=1'")]
    [InlineData("in-reset", ExitCodes.Failed, "resets or goes silent on every APDU")]
    public void Diag_InjectedFault_GivesItsDiagnosisAndFails(string fault, int exit, string diagnosis)
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("diag", "--state", dir.File("se.json"), "--fault", fault);

        Assert.Equal(exit, run.ExitCode);
        Assert.Contains(diagnosis, run.Output);
        Assert.EndsWith("Result: FAIL" + Environment.NewLine, run.Output);
    }

    [Fact]
    public void Diag_CrcFaultWithSweep_NamesTheSpeeds()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("diag", "--state", dir.File("se.json"), "--fault", "crc", "--sweep");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("CRC errors at 1000 kHz but not at 100, 400 kHz: signal integrity (wire length, pull-ups); run the bus at 400 kHz (--speed 400)", run.Output);
    }

    [Theory]
    [InlineData("400")]
    [InlineData("100")]
    public void Diag_CrcFault_AtTheAdvisedSpeed_Passes(string speed)
    {
        // The crc fault corrupts every answer above 400 kHz: --speed, the option the advice names, takes the bus below it.
        using var dir = new TempDir();
        CliRun run = CliRun.Of("diag", "--state", dir.File("se.json"), "--fault", "crc", "--speed", speed, "--sweep");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("CRC errors at 1000 kHz but not at 100, 400 kHz", run.Output); // the sweep still finds the bad speed: a warning now
        Assert.EndsWith("Result: PASS" + Environment.NewLine, run.Output);
    }

    [Fact]
    public void Diag_CrcFaultWithoutSweep_AdvisesALowerSpeedWithItsOption()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("diag", "--state", dir.File("se.json"), "--fault", "crc");

        Assert.Contains("lower the bus speed (--speed 400) or run the speed sweep", run.Output);
    }

    [Theory]
    [InlineData("the virtual I2C bus runs at 100, 400 or 1000 kHz", "diag", "--speed", "300")]
    [InlineData("give the clock in kHz, between 10 and 50000", "se", "probe", "--spi", "virtual", "--speed", "0")]
    [InlineData("dtparam=i2c_arm_baudrate=100000", "se", "probe", "--bus", "/dev/i2c-9", "--speed", "100")]
    [InlineData("dtparam=i2c_arm_baudrate=400000", "diag", "--bus", "/dev/i2c-9", "--speed", "400")]
    public void Speed_TheBusCannotRunAtOrSetHere_IsBadInput(string why, params string[] args)
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of([.. args, "--state", dir.File("se.json")]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(why, run.Error);
    }

    [Fact]
    public void Speed_OnTheVirtualSpiBus_IsAccepted()
    {
        using var dir = new TempDir();
        Assert.Equal(ExitCodes.Ok, CliRun.Of("se", "probe", "--state", dir.File("se.json"), "--spi", "virtual", "--speed", "2000").ExitCode);
    }

    [Fact]
    public void Diag_Json_IsParseableWithFindingsAndEcho()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("diag", "--json", "--state", dir.File("se.json"), "--echo", "3");

        using var doc = JsonDocument.Parse(run.Output);
        JsonElement data = doc.RootElement.GetProperty("data");
        Assert.True(data.GetProperty("passed").GetBoolean());
        Assert.Equal(3, data.GetProperty("echo").GetProperty("count").GetInt32());
        Assert.Contains(data.GetProperty("findings").EnumerateArray(), f => f.GetProperty("check").GetString() == "echo" && f.GetProperty("severity").GetString() == "pass");
    }

    [Theory]
    [InlineData("diag", "--fault", "gremlins")]
    [InlineData("diag", "--echo", "0")]
    [InlineData("diag", "--addr", "0x99")]
    [InlineData("diag", "--spi", "virtual", "--protocol", "se05x")]
    public void Diag_BadCommandLine_ExitsWithUsage(params string[] args)
    {
        CliRun run = CliRun.Of(args);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.NotEmpty(run.Error);
    }

    [Fact]
    public void Diag_Trace_PrintsDecodedFramesToStderr()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("diag", "--state", dir.File("se.json"), "--echo", "1", "--trace");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("5A CF 00 37 7F  host→SE S(INTERFACE SOFT RESET request) LEN 0 CRC ok", run.Error);
        Assert.Matches(@"SE→host S\(INTERFACE SOFT RESET response\) LEN \d+ INF .* CRC ok \(after \d+ busy polls?\)", run.Error);
        Assert.Contains("host→SE I(N(S)=0 M=0) LEN 5 INF 00A4040000 CRC ok", run.Error);
    }

    [Theory]
    [InlineData("se", "probe")]
    [InlineData("se", "apdu", "80CA9F7F00")]
    public void SeCommands_TraceFile_WritesDecodedFrames(params string[] command)
    {
        using var dir = new TempDir();
        string file = dir.File("trace.txt");
        CliRun run = CliRun.Of([.. command, "--state", dir.File("se.json"), "--protocol", "gp", "--trace-file", file]);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Empty(run.Error);
        string trace = File.ReadAllText(file);
        Assert.Contains("21 C4 00 00 06 CD  host→SE S(CIP request) LEN 0 CRC ok", trace);
        Assert.Matches(@"\[\+ *\d+ ms\] .*SE→host S\(CIP response\)", trace);
    }
}
