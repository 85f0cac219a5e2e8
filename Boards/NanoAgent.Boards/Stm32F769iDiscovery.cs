namespace NanoAgent.Boards
{
    /// <summary>ST STM32F769I-DISCO, nanoFramework reference target ST_STM32F769I_DISCOVERY.</summary>
    /// <remarks>
    /// Pins are fixed in the firmware target (nf-interpreter <c>targets/ChibiOS/ST_STM32F769I_DISCOVERY</c>):
    /// <c>target_system_device_i2c_config.cpp</c> I2C1 SCL PB8 / SDA PB9 (AF4);
    /// <c>target_system_device_spi_config.cpp</c> SPI2 SCK PA12 (D13), MISO PB14 (D12), MOSI PB15 (D11) (AF5).
    /// Arduino labels from that target's <c>board.h</c>: PB9 ARD_D14, PB8 ARD_D15, PA11 ARD_D10, PJ3 ARD_D7, PJ4 ARD_D8,
    /// PJ1 ARD_D2, PA6 ARD_A0.
    /// </remarks>
    public static class Stm32F769iDiscovery
    {
        /// <summary>The lookup id.</summary>
        public const string Id = "stm32f769i-disco";

        /// <summary>Creates the definition.</summary>
        /// <returns>A new definition.</returns>
        public static BoardDefinition Create()
        {
            return new BoardDefinition(
                Id,
                "STM32F769I-DISCO",
                "ST_STM32F769I_DISCOVERY",
                new I2cBusSettings(1, BoardPin.Stm32('B', 9, "Arduino D14"), BoardPin.Stm32('B', 8, "Arduino D15"), 400000),
                new SpiBusSettings(
                    2,
                    BoardPin.Stm32('B', 15, "Arduino D11"),
                    BoardPin.Stm32('B', 14, "Arduino D12"),
                    BoardPin.Stm32('A', 12, "Arduino D13"),
                    BoardPin.Stm32('A', 11, "Arduino D10"),
                    1000000),
                BoardPin.Stm32('J', 3, "Arduino D7"),
                BoardPin.Stm32('J', 4, "Arduino D8"),
                BoardDefinition.Se05xDefaultAddress,
                BoardPin.Stm32('A', 6, "Arduino A0"),
                BoardPin.Stm32('J', 1, "Arduino D2"),
                "Arduino power 3V3",
                "Arduino power GND",
                "3.3 V logic; do not power the SE from the 5V pin. SDA/SCL need 4.7 kOhm pull-ups to 3.3 V unless the SE board fits them. "
                + "SPI2 is the Arduino SPI (D11-D13); SPI5 (PF7/PF8/PF9 = D6/A4/A5) is also in the firmware but collides with those Arduino pins.",
                new BoardFirmware(
                    "D:\\",
                    "D: is the microSD slot (the firmware has no I: drive: littlefs on the QSPI flash is off); insert a card before power-up.",
                    BoardFirmware.NativeAesKeyLength,
                    new NativeRequirement[]
                    {
                        new NativeRequirement(
                            NativeRequirement.FileSystem,
                            "the configuration, platform keys and relay store on D:",
                            "build nf-interpreter targets/ChibiOS/ST_STM32F769I_DISCOVERY with API_System.IO.FileSystem=ON and NF_FEATURE_HAS_SDCARD=ON if the image in use lacks them"),
                        new NativeRequirement(
                            NativeRequirement.Cryptography,
                            "AES-128 for platform SCP03",
                            "stock ST_STM32F769I_DISCOVERY firmware (API_nanoFramework.System.Security.Cryptography=ON in its CMakePresets.json)"),
                    }));
        }
    }
}
