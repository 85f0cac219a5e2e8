using System.Text.Json;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Cli;

public class SeCommandsTests
{
    [Theory]
    [InlineData("se05x", null, "SE05x T=1oI2C", "ATR")]
    [InlineData("gp", null, "GP T=1'", "CIP")]
    [InlineData(null, "virtual", "GP T=1'", "CIP")]
    public void Probe_VirtualSe_ShowsInterfaceIsdAndCplc(string? protocol, string? spi, string protocolName, string interfaceLabel)
    {
        using var dir = new TempDir();
        var args = new List<string> { "se", "probe", "--state", dir.File("se.json") };
        if (protocol is not null)
        {
            args.AddRange(["--protocol", protocol]);
        }

        if (spi is not null)
        {
            args.AddRange(["--spi", spi]);
        }

        CliRun run = CliRun.Of([.. args]);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains(protocolName, run.Output);
        Assert.Matches($"(?m)^{interfaceLabel} +[0-9A-F]{{20,}}$", run.Output);
        Assert.Matches("(?m)^selected +A000000151000000$", run.Output);
        Assert.Matches("(?m)^CPLC IC serial number +[0-9A-F]{8}$", run.Output);
        Assert.EndsWith("Result: PASS" + Environment.NewLine, run.Output);
        Assert.True(File.Exists(dir.File("se.json")), "the virtual SE keeps its state in the file");
    }

    [Fact]
    public void Probe_Json_IsParseableAndPasses()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("se", "probe", "--json", "--state", dir.File("se.json"));

        using var doc = JsonDocument.Parse(run.Output);
        JsonElement data = doc.RootElement.GetProperty("data");
        Assert.True(data.GetProperty("passed").GetBoolean());
        Assert.Contains(data.GetProperty("facts").EnumerateArray(), f => f.GetProperty("label").GetString() == "selected");
    }

    [Fact]
    public void Apdu_SendsEachAndExplainsStatusWords()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("se", "apdu", "--state", dir.File("se.json"), "00A4040008A000000151000000", "80CA 9F7F 00", "00A4040003112233");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("> 00A4040008A000000151000000", run.Output);
        Assert.Contains("< 6F108408A000000151000000", run.Output);
        Assert.Contains("< 9F7F2A", run.Output);
        Assert.Contains("< 6A82: file or application not found", run.Output);
    }

    [Fact]
    public void Apdu_AllSucceed_ExitsZero()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("se", "apdu", "--state", dir.File("se.json"), "--protocol", "gp", "80F28002024F00");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("< 9000: success", run.Output);
    }

    [Theory]
    [InlineData("se", "apdu", "XYZ")]
    [InlineData("se", "probe", "--addr", "0x99")]
    [InlineData("se", "probe", "--protocol", "t0")]
    [InlineData("se", "probe", "--spi", "virtual", "--protocol", "se05x")]
    [InlineData("se", "nonsense")]
    public void BadCommandLine_ExitsWithUsage(params string[] args)
    {
        CliRun run = CliRun.Of(args);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.NotEmpty(run.Error);
    }

    [Fact]
    public void Probe_MissingBusNode_SaysWhatToCheckAndExitsNoDevice()
    {
        CliRun run = CliRun.Of("se", "probe", "--bus", "/dev/i2c-97");
        Assert.Equal(ExitCodes.NoDevice, run.ExitCode);
        Assert.Contains("/dev/i2c-97", run.Error);
    }

    [Theory]
    [InlineData("se")]
    [InlineData("se", "probe")]
    [InlineData("se", "apdu")]
    public void Help_IsAvailableOnEveryCommand(params string[] command)
    {
        CliRun run = CliRun.Of([.. command, "--help"]);
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("Usage:", run.Output);
    }
}
