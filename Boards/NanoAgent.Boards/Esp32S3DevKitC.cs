namespace NanoAgent.Boards
{
    /// <summary>Espressif ESP32-S3-DevKitC-1, nanoFramework target ESP32_S3_QUAD (ESP32_S3_OCTAL for modules with octal PSRAM).</summary>
    /// <remarks>
    /// SDA GPIO8 / SCL GPIO9 and FSPI MOSI 11 / MISO 13 / SCK 12 / CS 10 are the defaults in arduino-esp32
    /// <c>variants/esp32s3/pins_arduino.h</c> (SDA = 8, SCL = 9, SS = 10, MOSI = 11, MISO = 13, SCK = 12).
    /// nanoFramework routes them at run time with <c>Configuration.SetPinFunction</c>.
    /// Header rows follow Espressif's ESP32-S3-DevKitC-1 layout: J1 (3V3, 3V3, RST, 4, 5, 6, 7, 15, 16, 17, 18, 8, 3, 46, 9, 10, 11, 12, 13, 14, 5V, G),
    /// J3 (G, TX, RX, 1, 2, 42, 41, ...).
    /// </remarks>
    public static class Esp32S3DevKitC
    {
        /// <summary>The lookup id.</summary>
        public const string Id = "esp32-s3-devkitc";

        /// <summary>Creates the definition.</summary>
        /// <returns>A new definition.</returns>
        public static BoardDefinition Create()
        {
            return new BoardDefinition(
                Id,
                "ESP32-S3-DevKitC-1",
                "ESP32_S3_QUAD",
                new I2cBusSettings(1, BoardPin.Esp32(8, "J1 8"), BoardPin.Esp32(9, "J1 9"), 400000),
                new SpiBusSettings(
                    1,
                    BoardPin.Esp32(11, "J1 11"),
                    BoardPin.Esp32(13, "J1 13"),
                    BoardPin.Esp32(12, "J1 12"),
                    BoardPin.Esp32(10, "J1 10"),
                    1000000),
                BoardPin.Esp32(4, "J1 4"),
                BoardPin.Esp32(5, "J1 5"),
                BoardDefinition.Se05xDefaultAddress,
                BoardPin.Esp32(1, "J3 1"),
                BoardPin.Esp32(2, "J3 2"),
                "J1 3V3",
                "J1 G",
                "3.3 V logic only. SDA/SCL need 4.7 kOhm pull-ups to 3.3 V unless the SE board fits them. "
                + "Avoid GPIO19/20 (USB), strapping pins 0, 3, 45, 46, and GPIO35-37 on modules with octal PSRAM (N8R8, N16R8). "
                + "GPIO1 is ADC1_CH0 for the sensor. Firmware must call Configuration.SetPinFunction for I2C1 and SPI1.",
                new BoardFirmware(
                    "I:\\",
                    "I: is the internal flash file system of the stock ESP32 firmware.",
                    BoardFirmware.NativeAesKeyLength,
                    new NativeRequirement[]
                    {
                        new NativeRequirement(NativeRequirement.FileSystem, "the configuration, platform keys and relay store on I:", "stock ESP32_S3_QUAD firmware (nanoff --update --target ESP32_S3_QUAD)"),
                        new NativeRequirement(NativeRequirement.Cryptography, "AES-128 for platform SCP03", "stock ESP32_S3_QUAD firmware (nanoff --update --target ESP32_S3_QUAD)"),
                    }));
        }
    }
}
