using System.Device.Gpio;
using System.Device.I2c;
using System.IO;
using System.Threading;
using NanoAgent.Agent.Runtime;
using NanoAgent.Boards;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Device.Bus;
using NanoAgent.Drivers.Diagnostics;
#if NANOAGENT_ESP32
using nanoFramework.Hardware.Esp32;
#endif

namespace NanoAgent.Device.OnTarget
{
    /// <summary>
    /// The board under test, from the same <c>nanoagent.conf</c> the firmware reads (on the first board drive that has one,
    /// <c>BoardCatalog.StorageRoots</c>): pins routed (ESP32), SE powered,
    /// and the SE's I2C link opened once for all tests of the run.
    /// </summary>
    public static class OnTargetBoard
    {
        private static AgentConfig _config;
        private static BoardDefinition _board;
        private static I2cFrameLink _link;
        private static I2cDevice _device;

        /// <summary>Gets the configuration.</summary>
        public static AgentConfig Config
        {
            get { Prepare(); return _config; }
        }

        /// <summary>Gets the board.</summary>
        public static BoardDefinition Board
        {
            get { Prepare(); return _board; }
        }

        /// <summary>Gets the link to the SE.</summary>
        public static IFrameLink Link
        {
            get { Prepare(); return _link; }
        }

        /// <summary>Gets the configured block protocol.</summary>
        /// <returns>The factory.</returns>
        public static ISeTransportFactory Protocol()
        {
            return Config.Protocol == "gp" ? (ISeTransportFactory)new GpTransportFactory(null) : new Se05xTransportFactory(null);
        }

        private static void Prepare()
        {
            if (_link != null)
            {
                return;
            }

            string[] roots = BoardCatalog.StorageRoots();
            string path = null;
            for (int i = 0; i < roots.Length && path == null; i++)
            {
                path = File.Exists(roots[i] + "nanoagent.conf") ? roots[i] + "nanoagent.conf" : null;
            }

            _config = AgentConfigParser.Parse(File.ReadAllText(path));
            _board = BoardCatalog.Find(_config.BoardId);
#if NANOAGENT_ESP32
            if (_board.NanoTarget.IndexOf("ESP32") == 0)
            {
                Configuration.SetPinFunction(_board.I2c.Sda.Number, DeviceFunction.I2C1_DATA);
                Configuration.SetPinFunction(_board.I2c.Scl.Number, DeviceFunction.I2C1_CLOCK);
            }
#endif
            GpioPin enable = new GpioController().OpenPin(_board.SeEnable.Number, PinMode.Output);
            enable.Write(PinValue.High);
            Thread.Sleep(10);
            _device = I2cDevice.Create(new I2cConnectionSettings(_board.I2c.BusId, _board.SeI2cAddress, I2cBusSpeed.FastMode));
            _link = new I2cFrameLink(new NanoI2cBus(_device, _board.SeI2cAddress, true), true);
        }

        /// <summary>Opens any address of the SE's bus for the scan; the SE's address reuses the open device, not disposed by the scan.</summary>
        public sealed class ScanBus : II2cBusFactory
        {
            /// <inheritdoc />
            public II2cBus Open(int address)
            {
                if (address == Board.SeI2cAddress)
                {
                    return new NanoI2cBus(_device, address, false);
                }

                try
                {
                    return NanoI2cBus.Open(Board.I2c.BusId, address, I2cBusSpeed.StandardMode);
                }
                catch (System.Exception)
                {
                    return null;
                }
            }
        }
    }
}
