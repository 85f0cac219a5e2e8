using System.Device.Gpio;
using System.Threading;
using NanoAgent.Agent.Runtime;
using NanoAgent.Boards;
#if NANOAGENT_ESP32
using nanoFramework.Hardware.Esp32;
#endif
using nanoFramework.Networking;

namespace NanoAgent.Device.Platform
{
    /// <summary>
    /// The board-family specific start-up: pin routing (ESP32 only; STM32 pins are fixed in the firmware target), powering the
    /// SE, and the network (Wi-Fi on ESP32, Ethernet on the STM32 boards). Build with <c>/p:BoardFamily=Stm32</c> for STM32:
    /// that drops NANOAGENT_ESP32 and the ESP32-only packages, whose native parts STM32 firmware lacks.
    /// </summary>
    public static class BoardIo
    {
        /// <summary>Routes the SE's I2C pins to the board's I2C controller (ESP32: <c>Configuration.SetPinFunction</c>).</summary>
        /// <param name="board">The board.</param>
        public static void RoutePins(BoardDefinition board)
        {
#if NANOAGENT_ESP32
            if (board.NanoTarget.IndexOf("ESP32") == 0)
            {
                bool second = board.I2c.BusId == 2;
                Configuration.SetPinFunction(board.I2c.Sda.Number, second ? DeviceFunction.I2C2_DATA : DeviceFunction.I2C1_DATA);
                Configuration.SetPinFunction(board.I2c.Scl.Number, second ? DeviceFunction.I2C2_CLOCK : DeviceFunction.I2C1_CLOCK);
            }
#endif
        }

        /// <summary>Drives the SE enable pin high (SE05x ENA: powers the SE) and waits for it to boot.</summary>
        /// <param name="board">The board.</param>
        /// <param name="gpio">The controller; the pin stays open for the firmware's lifetime.</param>
        public static void PowerSe(BoardDefinition board, GpioController gpio)
        {
            GpioPin enable = gpio.OpenPin(board.SeEnable.Number, PinMode.Output);
            enable.Write(PinValue.High);
            Thread.Sleep(10);
        }

        /// <summary>Brings the network up and waits for an address and a valid date (TLS and timestamps need it).</summary>
        /// <param name="config">Wi-Fi credentials (ESP32).</param>
        /// <param name="log">The log.</param>
        /// <returns>True when connected.</returns>
        public static bool ConnectNetwork(AgentConfig config, IAgentLog log)
        {
            CancellationTokenSource timeout = new CancellationTokenSource(60000);
            bool ok;
#if NANOAGENT_ESP32
            if (config.WifiSsid == null)
            {
                log.Line("network: no wifi.ssid in the configuration");
                return false;
            }

            ok = WifiNetworkHelper.ConnectDhcp(config.WifiSsid, config.WifiPassword, requiresDateTime: true, token: timeout.Token);
#else
            ok = NetworkHelper.SetupAndConnectNetwork(timeout.Token, true);
#endif
            log.Line(ok ? "network up" : "network: no address or no date within 60 s");
            return ok;
        }
    }
}
