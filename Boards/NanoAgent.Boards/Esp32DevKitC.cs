namespace NanoAgent.Boards
{
    /// <summary>Espressif ESP32-DevKitC (V4), nanoFramework target ESP32_REV0.</summary>
    /// <remarks>
    /// I2C SDA GPIO21 / SCL GPIO22 and VSPI MOSI 23 / MISO 19 / SCK 18 / CS 5 are the ESP32 defaults that
    /// arduino-esp32 <c>variants/esp32/pins_arduino.h</c> and most shields use. nanoFramework routes pins at run time
    /// (<c>Configuration.SetPinFunction(21, DeviceFunction.I2C1_DATA)</c>), so these are a choice the firmware applies.
    /// Header rows follow Espressif's ESP32-DevKitC V4 pin layout: J2 (3V3, EN, VP, VN, 34, 35, 32, 33, 25, 26, 27, ...),
    /// J3 (GND, 23, 22, TX, RX, 21, GND, 19, 18, 5, ...).
    /// </remarks>
    public static class Esp32DevKitC
    {
        /// <summary>The lookup id.</summary>
        public const string Id = "esp32-devkitc";

        /// <summary>Creates the definition.</summary>
        /// <returns>A new definition.</returns>
        public static BoardDefinition Create()
        {
            return new BoardDefinition(
                Id,
                "ESP32-DevKitC",
                "ESP32_REV0",
                new I2cBusSettings(1, BoardPin.Esp32(21, "J3 IO21"), BoardPin.Esp32(22, "J3 IO22"), 400000),
                new SpiBusSettings(
                    1,
                    BoardPin.Esp32(23, "J3 IO23"),
                    BoardPin.Esp32(19, "J3 IO19"),
                    BoardPin.Esp32(18, "J3 IO18"),
                    BoardPin.Esp32(5, "J3 IO5"),
                    1000000),
                BoardPin.Esp32(25, "J2 IO25"),
                BoardPin.Esp32(26, "J2 IO26"),
                BoardDefinition.Se05xDefaultAddress,
                BoardPin.Esp32(34, "J2 IO34"),
                BoardPin.Esp32(27, "J2 IO27"),
                "J2 3V3",
                "J2 GND",
                "3.3 V logic only. SDA/SCL need 4.7 kOhm pull-ups to 3.3 V unless the SE board fits them (ESP32 internal pull-ups are too weak). "
                + "GPIO5 is a boot strapping pin (pulled up: fine as active-low CS). GPIO34 is input-only (ADC1_CH6), right for the sensor. "
                + "Firmware must call Configuration.SetPinFunction for I2C1 and SPI1 before opening the buses.",
                new BoardFirmware(
                    "I:\\",
                    "I: is the internal flash file system of the stock ESP32 firmware.",
                    BoardFirmware.NativeAesKeyLength,
                    new NativeRequirement[]
                    {
                        new NativeRequirement(NativeRequirement.FileSystem, "the configuration, platform keys and relay store on I:", "stock ESP32_REV0 firmware (nanoff --update --target ESP32_REV0)"),
                        new NativeRequirement(NativeRequirement.Cryptography, "AES-128 for platform SCP03", "stock ESP32_REV0 firmware (nanoff --update --target ESP32_REV0)"),
                    }));
        }
    }
}
