namespace NanoAgent.Boards
{
    /// <summary>ST NUCLEO-F746ZG (Nucleo-144), nanoFramework community target ST_NUCLEO144_F746ZG.</summary>
    /// <remarks>
    /// Pins are fixed in the firmware target (nf-Community-Targets <c>ChibiOS/ST_NUCLEO144_F746ZG</c>):
    /// <c>target_system_device_i2c_config.cpp</c> I2C1 SCL PB8 / SDA PB9 (AF4); <c>target_system_device_spi_config.cpp</c>
    /// configures only SPI5: SCK PF7, MISO PF8, MOSI PF9 (AF5). Arduino labels from that target's <c>board.h</c>
    /// (PB9 ARD_D14 I2C1_SDA, PB8 ARD_D15 I2C1_SCL, PD14 ARD_D10, PF13 ARD_D7, PF12 ARD_D8, PF15 ARD_D2, PA3 ARD_A0)
    /// and ST UM1974 (Zio CN7 carries D8-D15, CN10 D0-D7, CN9 A0-A5, CN8 power).
    /// </remarks>
    public static class NucleoF746zg
    {
        /// <summary>The lookup id.</summary>
        public const string Id = "nucleo-f746zg";

        /// <summary>Creates the definition.</summary>
        /// <returns>A new definition.</returns>
        public static BoardDefinition Create()
        {
            return new BoardDefinition(
                Id,
                "STM32 Nucleo-F746ZG",
                "ST_NUCLEO144_F746ZG",
                new I2cBusSettings(1, BoardPin.Stm32('B', 9, "CN7 D14"), BoardPin.Stm32('B', 8, "CN7 D15"), 400000),
                new SpiBusSettings(
                    5,
                    BoardPin.Stm32('F', 9, "morpho/Zio PF9 (not Arduino)"),
                    BoardPin.Stm32('F', 8, "morpho/Zio PF8 (not Arduino)"),
                    BoardPin.Stm32('F', 7, "morpho/Zio PF7 (not Arduino)"),
                    BoardPin.Stm32('D', 14, "CN7 D10"),
                    1000000),
                BoardPin.Stm32('F', 13, "CN10 D7"),
                BoardPin.Stm32('F', 12, "CN7 D8"),
                BoardDefinition.Se05xDefaultAddress,
                BoardPin.Stm32('A', 3, "CN9 A0"),
                BoardPin.Stm32('F', 15, "CN10 D2"),
                "CN8 3V3",
                "CN8 GND",
                "Community target: ST_NUCLEO144_F746ZG. 3.3 V logic (most pins 5 V tolerant, the SE is not). "
                + "SDA/SCL need 4.7 kOhm pull-ups to 3.3 V unless the SE board fits them. "
                + "The firmware only has SPI5 (PF7/PF8/PF9, off the Arduino header: find them on the Zio/morpho pinout in UM1974); "
                + "Arduino D11-D13 are SPI1 in hardware but not configured in this target, and D11 (PA7) is the Ethernet RMII_CRS_DV line.",
                new BoardFirmware(
                    "D:\\",
                    "The board has no SD slot and no QSPI flash, and the stock ST_NUCLEO144_F746ZG firmware has no file system: "
                    + "nanoAgent needs a firmware built with a drive, an SD card on SPI as D:.",
                    BoardFirmware.NativeAesKeyLength,
                    new NativeRequirement[]
                    {
                        new NativeRequirement(
                            NativeRequirement.FileSystem,
                            "the configuration, platform keys and relay store on D:",
                            "build nf-Community-Targets ChibiOS/ST_NUCLEO144_F746ZG with API_System.IO.FileSystem=ON and NF_FEATURE_HAS_SDCARD=ON (SD card on SPI); the stock image has it OFF"),
                        new NativeRequirement(
                            NativeRequirement.Cryptography,
                            "AES-128 for platform SCP03",
                            "build ST_NUCLEO144_F746ZG with API_nanoFramework.System.Security.Cryptography=ON; the released image was found without it"),
                    }));
        }
    }
}
