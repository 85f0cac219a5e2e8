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
    /// Firmware entry point. Only platform wiring lives here: find the configuration on the boards' storage drives, pick the
    /// board, check the firmware's native parts, route pins, power the SE, bring the network up, build the nanoFramework
    /// adapters and hand them to the portable
    /// <see cref="AgentRuntime"/>, which does everything else (diagnostics, platform SCP03, relay, gating, reconnects,
    /// watchdog feeding) and is covered by the host tests.
    /// </summary>
    public static class Program
    {
        /// <summary>The configuration file's name on the board's storage drive (README.md "Flashing a board" shows the format).</summary>
        public const string ConfigName = "nanoagent.conf";

        // Longer than the slowest healthy iteration: a boot-time diagnosis with bus scan and echo loop takes a few seconds.
        private const int WatchdogTimeoutMs = 60000;

        /// <summary>Starts the firmware.</summary>
        public static void Main()
        {
            DeviceLog log = new DeviceLog();

            // The board is named in the configuration, so look on every board's drive (BoardDefinition.Firmware.StorageRoot).
            string[] roots = BoardCatalog.StorageRoots();
            string root = null;
            string fileSystemError = null;
            int failedDrives = 0;
            for (int i = 0; i < roots.Length && root == null; i++)
            {
                string error;
                if (FirmwareCheck.FileExists(roots[i] + ConfigName, out error))
                {
                    root = roots[i];
                }
                else if (error != null)
                {
                    fileSystemError = error;
                    failedDrives++;
                }
            }

            if (root == null)
            {
                // Every drive throwing is a file system that is not there; a drive answering "no file" is a missing configuration.
                Halt(log, failedDrives == roots.Length
                    ? "the file system threw on every drive (" + fileSystemError + "): the firmware lacks the native assembly " + NativeRequirement.FileSystem
                        + " or a drive; " + DescribeFileSystemFirmware()
                    : "no " + ConfigName + " on " + Join(roots) + ". Write it to the board's drive (" + DescribeStorage() + ") and reset the board.");
                return;
            }

            string configPath = root + ConfigName;
            AgentConfig config;
            DeviceSettings settings;
            string keyText = null;
            try
            {
                settings = DeviceSettings.Extract(File.ReadAllText(configPath));
                config = AgentConfigParser.Parse(settings.AgentText);
                if (config.PlatformKeyFile != null)
                {
                    keyText = File.ReadAllText(config.PlatformKeyFile);
                }
            }
            catch (Exception e)
            {
                Halt(log, "configuration " + configPath + ": " + e.Message + ". Write the file and reset the board.");
                return;
            }

            BoardDefinition board = BoardCatalog.Find(config.BoardId);
            if (board == null)
            {
                Halt(log, "unknown board '" + (config.BoardId == null ? "(none)" : config.BoardId) + "' in 'board ='; known: " + BoardCatalog.DescribeIds());
                return;
            }

            if (board.Firmware.StorageRoot != root)
            {
                Halt(log, "board " + board.Id + " keeps its files on " + board.Firmware.StorageRoot + ", but " + ConfigName + " was found on " + root
                    + ": move the configuration, platform keys and relay store there.");
                return;
            }

            string aesProblem = FirmwareCheck.CheckAes128();
            if (aesProblem != null)
            {
                Halt(log, board.Firmware.DescribeMissing(NativeRequirement.Cryptography, aesProblem));
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

            // Relay state on the board's drive: a snapshot in two slot files (CRC + sequence) and a journal of changes appended
            // after it (docs/longevity.md): counters, results and run traces survive a reboot. Opened before the watchdog runs,
            // so an unreadable store halts with a message instead of starting empty (which would accept replayed scripts) or
            // looping through reboots.
            string relayPrefix = board.Firmware.RelayStorePrefix;
            IRelayStore store;
            try
            {
                store = new DurableRelayStore(
                    new TwoSlotRecordStorage(new FlashRecordSlots(relayPrefix)), new FlashJournalFile(relayPrefix + ".j"), 4, DurableRelayStore.DefaultJournalLimit);
            }
            catch (Exception e)
            {
                Halt(log, "relay store " + relayPrefix + ".a/.b/.j: " + e.Message + " Erase the three files to start with an empty store.");
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
            platform.MaxAesKeyLength = board.Firmware.MaxAesKeyLength;
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

            StartBoardLink(config, runtime, log);
            runtime.Run();
        }

        // The board link (lab.port): NXP's tools and `nanoagent --via serial:` reach the SE on a serial port; the relay
        // and the gates keep running and share the SE through the runtime's lock (docs/remote-test-tool.md, "Board link").
        private static void StartBoardLink(AgentConfig config, AgentRuntime runtime, DeviceLog log)
        {
            if (config.Lab.Port == null)
            {
                return;
            }

            SerialLabChannel channel;
            try
            {
                channel = new SerialLabChannel(config.Lab);
            }
            catch (Exception e)
            {
                // The lab link is a convenience: the agent runs on without it.
                log.Line("board link: cannot open " + config.Lab.Port + ": " + e.Message);
                return;
            }

            BoardLink link = runtime.CreateBoardLink(channel);
            new Thread(link.Run).Start();
            log.Line("board link: lending the SE on " + config.Lab.Port + " at " + config.Lab.Baud + " baud");
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

        private static string Join(string[] items)
        {
            string text = string.Empty;
            for (int i = 0; i < items.Length; i++)
            {
                text = i == 0 ? items[i] : text + " or " + items[i];
            }

            return text;
        }

        private static string DescribeStorage()
        {
            string text = string.Empty;
            for (int i = 0; i < BoardCatalog.Count; i++)
            {
                BoardDefinition board = BoardCatalog.GetAt(i);
                text = (i == 0 ? string.Empty : text + ", ") + board.Id + " " + board.Firmware.StorageRoot;
            }

            return text;
        }

        private static string DescribeFileSystemFirmware()
        {
            string text = "flash a firmware with it:";
            for (int i = 0; i < BoardCatalog.Count; i++)
            {
                BoardDefinition board = BoardCatalog.GetAt(i);
                text = text + " " + board.Id + ": " + board.Firmware.Find(NativeRequirement.FileSystem).HowToGet + ".";
            }

            return text;
        }

        // A configuration problem will not fix itself: say so once and wait (no watchdog runs yet, so no reboot loop).
        private static void Halt(DeviceLog log, string message)
        {
            log.Line(message);
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
