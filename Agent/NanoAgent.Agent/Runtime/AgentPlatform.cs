using System.Collections;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Relay;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// The pieces only the platform can make (buses, clock, entropy, AES, broker client, storage, watchdog, log, sensor and
    /// actuator drivers), handed to <see cref="AgentRuntime.Start"/>. The firmware fills it with nanoFramework adapters, the
    /// host tests with the virtual SE and an in-memory broker. Every property except <see cref="ScanBus"/> and
    /// <see cref="PlatformKeyText"/> is required.
    /// </summary>
    public sealed class AgentPlatform
    {
        private readonly Hashtable _sensors = new Hashtable();
        private readonly Hashtable _actuators = new Hashtable();

        /// <summary>Gets or sets the link to the SE (I2C at its address, or SPI with its chip select).</summary>
        public IFrameLink Link { get; set; }

        /// <summary>Gets or sets the block protocol to run over <see cref="Link"/>.</summary>
        public ISeTransportFactory Protocol { get; set; }

        /// <summary>Gets or sets the factory that opens any address of the SE's I2C bus for the boot-time scan; null skips it.</summary>
        public II2cBusFactory ScanBus { get; set; }

        /// <summary>Gets or sets the clock.</summary>
        public IClock Clock { get; set; }

        /// <summary>Gets or sets the source of host challenges (a TRNG on the device).</summary>
        public IRandomSource Random { get; set; }

        /// <summary>Gets or sets the platform's AES.</summary>
        public IBlockCipherFactory Ciphers { get; set; }

        /// <summary>
        /// Gets or sets the longest AES key <see cref="Ciphers"/> runs, in bytes (16, 24 or 32; default 32). nanoFramework's
        /// native <c>Aes</c> runs AES-128 only, so the firmware sets 16 and AES-192/256 platform keys are refused at start.
        /// </summary>
        public int MaxAesKeyLength { get; set; } = 32;

        /// <summary>Gets or sets the factory of broker connections.</summary>
        public IMqttConnectionFactory Mqtt { get; set; }

        /// <summary>Gets or sets the relay's store (counters, results, in-flight trace).</summary>
        public IRelayStore Store { get; set; }

        /// <summary>Gets or sets the watchdog.</summary>
        public IWatchdog Watchdog { get; set; }

        /// <summary>Gets or sets the log.</summary>
        public IAgentLog Log { get; set; }

        /// <summary>Gets or sets the platform key file's content (<see cref="Runtime.PlatformKeyText"/> form), or null for no platform SCP03.</summary>
        public string PlatformKeyText { get; set; }

        /// <summary>Supplies the driver of a sensor the configuration names.</summary>
        /// <param name="sensorId">The sensor id used in the configuration.</param>
        /// <param name="sensor">The driver.</param>
        public void AddSensor(string sensorId, ISensor sensor)
        {
            _sensors[sensorId] = sensor;
        }

        /// <summary>Supplies the driver of an actuator the configuration names.</summary>
        /// <param name="actuatorId">The actuator id used in the configuration.</param>
        /// <param name="actuator">The driver.</param>
        public void AddActuator(string actuatorId, IActuator actuator)
        {
            _actuators[actuatorId] = actuator;
        }

        /// <summary>Finds a sensor driver.</summary>
        /// <param name="sensorId">The id.</param>
        /// <returns>The driver, or null.</returns>
        public ISensor FindSensor(string sensorId)
        {
            return (ISensor)_sensors[sensorId];
        }

        /// <summary>Finds an actuator driver.</summary>
        /// <param name="actuatorId">The id.</param>
        /// <returns>The driver, or null.</returns>
        public IActuator FindActuator(string actuatorId)
        {
            return (IActuator)_actuators[actuatorId];
        }
    }
}
