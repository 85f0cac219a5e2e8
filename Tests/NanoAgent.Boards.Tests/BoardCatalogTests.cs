namespace NanoAgent.Boards.Tests;

public class BoardCatalogTests
{
    public static TheoryData<string> Ids => new() { "esp32-devkitc", "esp32-s3-devkitc", "nucleo-f746zg", "stm32f769i-disco" };

    private static IEnumerable<BoardDefinition> All() => Enumerable.Range(0, BoardCatalog.Count).Select(BoardCatalog.GetAt);

    [Fact]
    public void Catalog_HasTheFourBoardsWithDistinctIds()
    {
        Assert.Equal(4, BoardCatalog.Count);
        Assert.Equal(4, All().Select(b => b.Id).Distinct().Count());
        Assert.Equal("esp32-devkitc, esp32-s3-devkitc, nucleo-f746zg, stm32f769i-disco", BoardCatalog.DescribeIds());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Find_KnownId_ReturnsThatBoard_IgnoringCase(string id)
    {
        Assert.Equal(id, BoardCatalog.Find(id)!.Id);
        Assert.Same(BoardCatalog.Find(id), BoardCatalog.Find(id.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("esp32")]
    [InlineData("esp32-devkitc ")]
    public void Find_UnknownId_ReturnsNull(string id)
    {
        Assert.Null(BoardCatalog.Find(id));
        Assert.Null(BoardCatalog.Find(null!));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void GetAt_OutOfRange_Throws(int index)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BoardCatalog.GetAt(index));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Board_NoPinNumberOrHeaderUsedTwice(string id)
    {
        BoardPin[] pins = BoardCatalog.Find(id)!.GetSignalPins();

        Assert.Equal(10, pins.Length);
        Assert.Equal(pins.Length, pins.Select(p => p.Number).Distinct().Count());
        Assert.Equal(pins.Length, pins.Select(p => p.Name).Distinct().Count());
        Assert.Equal(pins.Length, pins.Select(p => p.Header).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Board_DefaultsToSe05xAddressAndSaneClocks(string id)
    {
        BoardDefinition board = BoardCatalog.Find(id)!;

        // UM11225: SE05x answers at 7-bit address 0x48 by default.
        Assert.Equal(0x48, board.SeI2cAddress);
        Assert.InRange(board.I2c.SpeedHz, 100_000, 1_000_000);
        Assert.InRange(board.Spi.ClockHz, 100_000, 10_000_000);
        Assert.False(string.IsNullOrWhiteSpace(board.Notes));
    }

    [Theory]
    [InlineData("esp32-devkitc", "ESP32_REV0")]
    [InlineData("esp32-s3-devkitc", "ESP32_S3_QUAD")]
    [InlineData("nucleo-f746zg", "ST_NUCLEO144_F746ZG")]
    [InlineData("stm32f769i-disco", "ST_STM32F769I_DISCOVERY")]
    public void Board_NamesItsNanoFrameworkTarget(string id, string target)
    {
        Assert.Equal(target, BoardCatalog.Find(id)!.NanoTarget);
    }

    [Theory]
    [InlineData("esp32-devkitc", "I:\\")]
    [InlineData("esp32-s3-devkitc", "I:\\")]
    [InlineData("nucleo-f746zg", "D:\\")]
    [InlineData("stm32f769i-disco", "D:\\")] // issue #14: no I: drive on this target, the SD card is D:
    public void Board_KeepsItsFilesOnItsOwnDrive(string id, string root)
    {
        BoardFirmware firmware = BoardCatalog.Find(id)!.Firmware;
        Assert.Equal(root, firmware.StorageRoot);
        Assert.Equal(root + "nanoagent.conf", firmware.ConfigPath);
        Assert.Equal(root + "relay", firmware.RelayStorePrefix);
    }

    [Fact]
    public void StorageRoots_AreTheDistinctDrivesInCatalogOrder()
    {
        Assert.Equal(["I:\\", "D:\\"], BoardCatalog.StorageRoots());
    }

    [Theory]
    [InlineData("esp32-devkitc")]
    [InlineData("esp32-s3-devkitc")]
    [InlineData("nucleo-f746zg")]
    [InlineData("stm32f769i-disco")]
    public void Board_NeedsFileSystemAndCryptography_AndRunsOnlyAes128(string id)
    {
        BoardDefinition board = BoardCatalog.Find(id)!;
        BoardFirmware firmware = board.Firmware;

        // nanoFramework's native Aes sets its key for AES-128 only (device README, issue #14).
        Assert.Equal(16, firmware.MaxAesKeyLength);
        Assert.Equal(2, firmware.RequiredCount);
        foreach (string assembly in new[] { NativeRequirement.FileSystem, NativeRequirement.Cryptography })
        {
            NativeRequirement requirement = firmware.Find(assembly)!;
            Assert.Contains(board.NanoTarget, requirement.HowToGet);
            string message = firmware.DescribeMissing(assembly, "NotSupportedException");
            Assert.StartsWith("the firmware lacks the native assembly " + assembly + " (needed for ", message);
            Assert.Contains(requirement.HowToGet, message);
            Assert.EndsWith("[NotSupportedException]", message);
        }

        Assert.Null(firmware.Find("System.Nothing"));
        Assert.Equal("the firmware lacks the native assembly System.Nothing", firmware.DescribeMissing("System.Nothing", null));
    }

    [Fact]
    public void NucleoF746zg_SaysWhichBuildOptionsItsFirmwareNeeds()
    {
        BoardFirmware firmware = BoardCatalog.Find("nucleo-f746zg")!.Firmware;
        Assert.Contains("API_System.IO.FileSystem=ON", firmware.Find(NativeRequirement.FileSystem)!.HowToGet);
        Assert.Contains("API_nanoFramework.System.Security.Cryptography=ON", firmware.Find(NativeRequirement.Cryptography)!.HowToGet);
    }

    [Fact]
    public void Esp32DevKitC_UsesTheDefaultI2c1AndVspiPins()
    {
        BoardDefinition b = BoardCatalog.Find("esp32-devkitc")!;

        // ESP32 defaults (arduino-esp32 variants/esp32/pins_arduino.h): SDA 21, SCL 22; VSPI MOSI 23, MISO 19, SCK 18, SS 5.
        Assert.Equal((21, 22), (b.I2c.Sda.Number, b.I2c.Scl.Number));
        Assert.Equal((23, 19, 18, 5), (b.Spi.Mosi.Number, b.Spi.Miso.Number, b.Spi.Sck.Number, b.Spi.ChipSelect.Number));
        Assert.Equal("GPIO21", b.I2c.Sda.Name);
    }

    [Fact]
    public void Esp32S3DevKitC_UsesArduinoEsp32S3Defaults()
    {
        BoardDefinition b = BoardCatalog.Find("esp32-s3-devkitc")!;

        // arduino-esp32 variants/esp32s3/pins_arduino.h: SDA 8, SCL 9, SS 10, MOSI 11, MISO 13, SCK 12.
        Assert.Equal((8, 9), (b.I2c.Sda.Number, b.I2c.Scl.Number));
        Assert.Equal((11, 13, 12, 10), (b.Spi.Mosi.Number, b.Spi.Miso.Number, b.Spi.Sck.Number, b.Spi.ChipSelect.Number));
    }

    [Theory]
    [InlineData("nucleo-f746zg", 5)]
    [InlineData("stm32f769i-disco", 2)]
    public void Stm32Boards_UseI2c1OnArduinoD14D15(string id, int spiBus)
    {
        BoardDefinition b = BoardCatalog.Find(id)!;

        // nanoFramework target_system_device_i2c_config.cpp: I2C1 SCL PB8, SDA PB9; pin number = port * 16 + pin.
        Assert.Equal(1, b.I2c.BusId);
        Assert.Equal(("PB9", 25), (b.I2c.Sda.Name, b.I2c.Sda.Number));
        Assert.Equal(("PB8", 24), (b.I2c.Scl.Name, b.I2c.Scl.Number));
        Assert.EndsWith("D14", b.I2c.Sda.Header);
        Assert.EndsWith("D15", b.I2c.Scl.Header);
        Assert.Equal(spiBus, b.Spi.BusId);
    }

    [Fact]
    public void Stm32Pin_NumbersPortTimesSixteenPlusPin()
    {
        Assert.Equal(147, BoardPin.Stm32('J', 3, "x").Number);
        Assert.Equal("PJ3", BoardPin.Stm32('J', 3, "x").Name);
        Assert.Equal(0, BoardPin.Stm32('A', 0, "x").Number);
    }
}
