using System;
using System.Device.Gpio;
using System.Device.I2c;
using System.IO;
using System.Threading;
using Iot.Device.Bmxx80;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Runtime;
using NanoAgent.Boards;
using NanoAgent.Device.Platform;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Device.Bus;
using NanoAgent.Drivers.Device.Crypto;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Drivers.T1.Gp;
using nanoFramework.Runtime.Native;

namespace NanoAgent.Device
{
    /// <summary>
    /// Firmware entry point. Only platform wiring lives here: read the configuration from internal flash, pick the board,
    /// route pins, power the SE, bring the network up, build the nanoFramework adapters and hand them to the portable
    /// <see cref="AgentRuntime"/>, which does everything else (diagnostics, platform SCP03, relay, gating, reconnects,
    /// watchdog feeding) and is covered by the host tests.
    /// </summary>
    public static class Program
    {
        /// <summary>The configuration file on internal flash (README.md "Flashing a board" shows the format).</summary>
        public const string ConfigPath = "I:\\nanoagent.conf";

        /// <summary>The relay store's slot files on internal flash, without the ".a"/".b" extension.</summary>
        public const string RelayStorePath = "I:\\relay";

        // Longer than the slowest healthy iteration: a boot-time diagnosis with bus scan and echo loop takes a few seconds.
        private const int WatchdogTimeoutMs = 60000;

        /// <summary>Starts the firmware.</summary>
        public static void Main()
        {
            DeviceLog log = new DeviceLog();
            AgentConfig config;
            DeviceSettings settings;
            string keyText = null;
            try
            {
                settings = DeviceSettings.Extract(File.ReadAllText(ConfigPath));
                config = AgentConfigParser.Parse(settings.AgentText);
                if (config.PlatformKeyFile != null)
                {
                    keyText = File.ReadAllText(config.PlatformKeyFile);
                }
            }
            catch (Exception e)
            {
                Halt(log, "configuration " + ConfigPath + ": " + e.Message + ". Write the file and reset the board.");
                return;
            }

            BoardDefinition board = BoardCatalog.Find(config.BoardId);
            if (board == null)
            {
                Halt(log, "unknown board '" + (config.BoardId == null ? "(none)" : config.BoardId) + "' in 'board ='; known: " + BoardCatalog.DescribeIds());
                return;
            }

            log.Line("board " + board.ToString() + ", SE at 0x" + board.SeI2cAddress.ToString("X2") + " on I2C" + board.I2c.BusId);
            GpioController gpio = new GpioController();
            BoardIo.RoutePins(board);
            BoardIo.PowerSe(board, gpio);
            string unsupported = UnsupportedOnDevice(config.Gating);
            if (unsupported != null)
            {
                Halt(log, unsupported);
                return;
            }

            Bme280Sensor bme280 = null;
            if (UsesBme280(config.Gating))
            {
                // Shares the SE's I2C bus (board definition), at its own address; opened before the watchdog runs, so a missing chip
                // halts with a message instead of a reboot loop.
                try
                {
                    I2cDevice bme = I2cDevice.Create(new I2cConnectionSettings(board.I2c.BusId, settings.Bme280Address, I2cBusSpeed.FastMode));
                    bme280 = new Bme280Sensor(new Bme280(bme));
                }
                catch (Exception e)
                {
                    Halt(log, "sensor.bme280: no BME280 at 0x" + settings.Bme280Address.ToString("X2") + " on I2C" + board.I2c.BusId + ": " + e.Message);
                    return;
                }
            }

            if (!BoardIo.ConnectNetwork(config, log))
            {
                // A reboot retries the whole bring-up; the radio often recovers only from a reset.
                Thread.Sleep(30000);
                Power.RebootDevice();
                return;
            }

            // Relay state on internal flash (two slot files, CRC + sequence): counters, results and run traces survive a reboot.
            // Opened before the watchdog runs, so an unreadable record halts with a message instead of starting empty (which
            // would accept replayed scripts) or looping through reboots.
            IRelayStore store;
            try
            {
                store = new DurableRelayStore(new TwoSlotRecordStorage(new FlashRecordSlots(RelayStorePath)), 4);
            }
            catch (Exception e)
            {
                Halt(log, "relay store " + RelayStorePath + ".a/.b: " + e.Message + " Erase both files to start with an empty store.");
                return;
            }

            SoftwareWatchdog watchdog = new SoftwareWatchdog(WatchdogTimeoutMs);
            watchdog.Start();

            AgentPlatform platform = new AgentPlatform();
            I2cDevice se = I2cDevice.Create(new I2cConnectionSettings(board.I2c.BusId, board.SeI2cAddress, I2cBusSpeed.FastMode));
            platform.Link = new I2cFrameLink(new NanoI2cBus(se, board.SeI2cAddress, true), true);
            platform.Protocol = config.Protocol == "gp" ? (ISeTransportFactory)new GpTransportFactory(GpT1Options.Compact()) : new Se05xTransportFactory(null);
            platform.ScanBus = new I2cScanFactory(board.I2c.BusId, board.SeI2cAddress, se);
            platform.Clock = SystemClock.Instance;
            platform.Random = new HardwareRandomSource();
            platform.Ciphers = new NanoAesFactory();
            platform.Mqtt = new M2MqttFactory(config);

            platform.Store = store;
            platform.Watchdog = watchdog;
            platform.Log = log;
            platform.PlatformKeyText = keyText;
            platform.AddSensor("input", new PinSensor(gpio, board.Sensor.Number));
            platform.AddActuator("relay", new PinRelay(gpio, board.Relay.Number));
            AddConfiguredDrivers(config.Gating, platform, gpio, bme280);

            AgentRuntime runtime;
            try
            {
                runtime = AgentRuntime.Start(config, platform);
            }
            catch (Exception e)
            {
                Halt(log, "cannot start: " + e.Message);
                return;
            }

            runtime.Run();
        }

        // 'sensor.<id>.source = bme280', or the older form: a sensor named "bme280" with no source line.
        private static bool IsBme280(SensorSpec sensor)
        {
            return sensor.Source == SensorSource.Bme280 || (sensor.Source == SensorSource.Platform && sensor.Id == "bme280");
        }

        private static bool UsesBme280(GatingConfig gating)
        {
            for (int i = 0; i < gating.SensorCount; i++)
            {
                if (IsBme280(gating.SensorAt(i)))
                {
                    return true;
                }
            }

            return false;
        }

        // The simulated meter and command sources and command actuators run on the host CLI only.
        private static string UnsupportedOnDevice(GatingConfig gating)
        {
            for (int i = 0; i < gating.SensorCount; i++)
            {
                SensorSpec s = gating.SensorAt(i);
                if (s.Source == SensorSource.Meter || s.Source == SensorSource.Command)
                {
                    return "sensor." + s.Id + ".source (line " + s.Line + "): only 'bme280' or the board's own sensors run on the device";
                }
            }

            for (int i = 0; i < gating.ActuatorCount; i++)
            {
                ActuatorSpec a = gating.ActuatorAt(i);
                if (a.Drive == ActuatorDrive.Command)
                {
                    return "actuator." + a.Id + ".command (line " + a.Line + "): commands run on a Linux host only; use 'actuator." + a.Id + ".pin' on the device";
                }
            }

            return null;
        }

        private static void AddConfiguredDrivers(GatingConfig gating, AgentPlatform platform, GpioController gpio, Bme280Sensor bme280)
        {
            for (int i = 0; i < gating.SensorCount; i++)
            {
                SensorSpec s = gating.SensorAt(i);
                if (IsBme280(s))
                {
                    platform.AddSensor(s.Id, bme280);
                }
            }

            for (int i = 0; i < gating.ActuatorCount; i++)
            {
                ActuatorSpec a = gating.ActuatorAt(i);
                if (a.Drive == ActuatorDrive.Pin)
                {
                    platform.AddActuator(a.Id, new PinRelay(gpio, a.Pin));
                }
            }
        }

        // A configuration problem will not fix itself: say so once and wait (no watchdog runs yet, so no reboot loop).
        private static void Halt(DeviceLog log, string message)
        {
            log.Line(message);
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
