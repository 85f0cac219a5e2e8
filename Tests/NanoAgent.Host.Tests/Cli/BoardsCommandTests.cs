using NanoAgent.Host.Cli;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Cli;

public class BoardsCommandTests
{
    [Fact]
    public void Show_Esp32DevKitC_PrintsTheSe05xWiring()
    {
        CliRun run = CliRun.Of("boards", "show", "esp32-devkitc");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("address 0x48", run.Output);
        Assert.Matches(@"(?m)^SDA +\| GPIO21 ", run.Output);
        Assert.Matches(@"(?m)^SCL +\| GPIO22 ", run.Output);
    }

    [Fact]
    public void List_NamesEveryBoard()
    {
        CliRun run = CliRun.Of("boards", "list");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        foreach (string id in new[] { "esp32-devkitc", "esp32-s3-devkitc", "nucleo-f746zg", "stm32f769i-disco" })
        {
            Assert.Contains(id, run.Output);
        }
    }

    [Fact]
    public void Show_UnknownBoard_SaysWhichExist()
    {
        CliRun run = CliRun.Of("boards", "show", "arduino-uno");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("esp32-devkitc", run.Error);
    }
}
