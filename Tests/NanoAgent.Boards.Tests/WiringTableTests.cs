namespace NanoAgent.Boards.Tests;

public class WiringTableTests
{
    public static TheoryData<string, string> BoardFolders => new()
    {
        { "esp32-devkitc", "Esp32DevKitC" },
        { "esp32-s3-devkitc", "Esp32S3DevKitC" },
        { "nucleo-f746zg", "NucleoF746zg" },
        { "stm32f769i-disco", "Stm32F769iDiscovery" },
    };

    [Theory]
    [MemberData(nameof(BoardFolders))]
    public void Render_ShowsAddressAndEverySePin(string id, string folder)
    {
        _ = folder;
        BoardDefinition b = BoardCatalog.Find(id)!;

        string table = WiringTable.Render(b);

        Assert.Contains("address 0x48", table);
        Assert.Contains(b.NanoTarget, table);
        AssertRow(table, "SDA", b.I2c.Sda);
        AssertRow(table, "SCL", b.I2c.Scl);
        AssertRow(table, "ENA", b.SeEnable);
        AssertRow(table, "MOSI", b.Spi.Mosi);
        AssertRow(table, "MISO", b.Spi.Miso);
        AssertRow(table, "SCK", b.Spi.Sck);
        AssertRow(table, "CS", b.Spi.ChipSelect);
        Assert.Contains(b.Supply3v3, LineFor(table, "VCC"));
        Assert.Contains(b.Sensor.Name, table);
        Assert.Contains(b.Relay.Name, table);
    }

    [Fact]
    public void Render_Esp32DevKitC_SdaRowIsReadable()
    {
        string table = WiringTable.Render(BoardCatalog.Find("esp32-devkitc")!);

        Assert.Contains("SDA        | GPIO21   | J3 IO21                        | I2C data, pull-up to 3.3 V\n", table);
    }

    [Theory]
    [MemberData(nameof(BoardFolders))]
    public void BoardReadme_ContainsTheCurrentWiringTable(string id, string folder)
    {
        string readme = File.ReadAllText(Path.Combine(RepoRoot(), "Boards", folder, "README.md")).Replace("\r\n", "\n");

        Assert.Contains(WiringTable.Render(BoardCatalog.Find(id)!), readme);
    }

    [Theory]
    [MemberData(nameof(BoardFolders))]
    public void BoardReadme_ContainsTheCurrentFirmwareTable(string id, string folder)
    {
        string readme = File.ReadAllText(Path.Combine(RepoRoot(), "Boards", folder, "README.md")).Replace("\r\n", "\n");

        Assert.Contains(FirmwareTable.Render(BoardCatalog.Find(id)!), readme);
    }

    [Fact]
    public void Render_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => WiringTable.Render(null!));
    }

    private static void AssertRow(string table, string sePin, BoardPin pin)
    {
        string line = LineFor(table, sePin);
        Assert.Contains(" " + pin.Name + " ", line);
        Assert.Contains(pin.Header, line);
    }

    private static string LineFor(string table, string sePin) =>
        table.Split('\n').First(l => l.StartsWith(sePin + " ", StringComparison.Ordinal));

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "nanoAgent.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("nanoAgent.sln not found above the test binaries.");
    }
}
