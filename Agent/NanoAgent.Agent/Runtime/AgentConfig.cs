using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// What one agent runs with: identity, broker, tenants, gates and timings. Read from the device's configuration file by
    /// <see cref="AgentConfigParser"/> (the format is described there), or filled in by a host or a test.
    /// </summary>
    public sealed class AgentConfig
    {
        private readonly GatingConfig _gating = new GatingConfig();
        private readonly LabLinkConfig _lab = new LabLinkConfig();

        /// <summary>Creates a configuration with the defaults.</summary>
        public AgentConfig()
        {
            BrokerPort = 1883;
            Protocol = "se05x";
            TenantsText = string.Empty;
            ReconnectMinMs = 500;
            ReconnectMaxMs = 30000;
            SeRetryMinMs = 1000;
            SeRetryMaxMs = 60000;
            PublishPeriodMs = 60000;
            LoopPeriodMs = 100;
            OfflineLimitMs = 300000;
            KeepAliveSeconds = 30;
        }

        /// <summary>Gets or sets the device id (an identifier: A-Z a-z 0-9 . _ -), the second topic level.</summary>
        public string DeviceId { get; set; }

        /// <summary>Gets or sets the board id (Boards/NanoAgent.Boards), used by the firmware to pick pins and buses.</summary>
        public string BoardId { get; set; }

        /// <summary>Gets or sets the Wi-Fi network name, or null when the board uses Ethernet or is already connected.</summary>
        public string WifiSsid { get; set; }

        /// <summary>Gets or sets the Wi-Fi password.</summary>
        public string WifiPassword { get; set; }

        /// <summary>Gets or sets the broker host name or address.</summary>
        public string BrokerHost { get; set; }

        /// <summary>Gets or sets the broker port (1883 plain, 8883 TLS by convention).</summary>
        public int BrokerPort { get; set; }

        /// <summary>Gets or sets a value indicating whether the broker link uses TLS.</summary>
        public bool BrokerTls { get; set; }

        /// <summary>Gets or sets the broker user name, or null.</summary>
        public string BrokerUser { get; set; }

        /// <summary>Gets or sets the broker password, or null.</summary>
        public string BrokerPassword { get; set; }

        /// <summary>Gets or sets the MQTT keep-alive in seconds.</summary>
        public int KeepAliveSeconds { get; set; }

        /// <summary>Gets or sets the tenants in <see cref="TenantRegistry"/>'s text form, one per line.</summary>
        public string TenantsText { get; set; }

        /// <summary>Gets or sets the block protocol: "se05x" (UM11225 T=1 over I2C) or "gp" (GPC_SPE_172 T=1').</summary>
        public string Protocol { get; set; }

        /// <summary>Gets or sets where the platform SCP03 key file is (the caller reads it), or null to run without platform SCP03.</summary>
        public string PlatformKeyFile { get; set; }

        /// <summary>Gets or sets the first broker reconnect delay in milliseconds (doubles per failure).</summary>
        public int ReconnectMinMs { get; set; }

        /// <summary>Gets or sets the largest broker reconnect delay in milliseconds.</summary>
        public int ReconnectMaxMs { get; set; }

        /// <summary>Gets or sets the first delay before the SE is tried again, in milliseconds (doubles per failure).</summary>
        public int SeRetryMinMs { get; set; }

        /// <summary>Gets or sets the largest delay before the SE is tried again, in milliseconds.</summary>
        public int SeRetryMaxMs { get; set; }

        /// <summary>Gets or sets how often every sensor is read and published, in milliseconds.</summary>
        public int PublishPeriodMs { get; set; }

        /// <summary>Gets or sets the pause between loop iterations in <see cref="AgentRuntime.Run"/>, in milliseconds.</summary>
        public int LoopPeriodMs { get; set; }

        /// <summary>
        /// Gets or sets how long the SE or the broker may stay unreachable before the loop counts as stuck and the watchdog
        /// is no longer fed (the board then reboots, which also power-cycles a wedged bus or radio), in milliseconds.
        /// </summary>
        public int OfflineLimitMs { get; set; }

        /// <summary>Gets the board link's settings (the <c>lab.*</c> lines).</summary>
        public LabLinkConfig Lab
        {
            get { return _lab; }
        }

        /// <summary>Gets the gates, sensors and actuators (the <c>gate.*</c>, <c>sensor.*</c> and <c>actuator.*</c> lines).</summary>
        public GatingConfig Gating
        {
            get { return _gating; }
        }

        /// <summary>Gets the number of gates.</summary>
        public int GateCount
        {
            get { return _gating.GateCount; }
        }

        /// <summary>Gets the number of sensors named in the configuration.</summary>
        public int SensorCount
        {
            get { return _gating.SensorCount; }
        }

        /// <summary>Gets the number of actuators named in the configuration.</summary>
        public int ActuatorCount
        {
            get { return _gating.ActuatorCount; }
        }

        /// <summary>Adds a tenant's gate applet instance.</summary>
        /// <param name="tenant">The tenant id.</param>
        /// <param name="gateAid">The gate instance AID (5 to 16 bytes).</param>
        public void AddGate(string tenant, byte[] gateAid)
        {
            _gating.AddGate(tenant, gateAid);
        }

        /// <summary>Gets a gate's tenant.</summary>
        /// <param name="index">0 to <see cref="GateCount"/> - 1.</param>
        /// <returns>The tenant id.</returns>
        public string GateTenantAt(int index)
        {
            return _gating.GateTenantAt(index);
        }

        /// <summary>Gets a gate's AID.</summary>
        /// <param name="index">0 to <see cref="GateCount"/> - 1.</param>
        /// <returns>The AID (the stored array: do not change it).</returns>
        public byte[] GateAidAt(int index)
        {
            return _gating.GateAidAt(index);
        }

        /// <summary>Names a sensor read by the platform's driver of that id and the tenants its signed readings go to.</summary>
        /// <param name="sensorId">The sensor id (a topic level); the platform supplies the driver under this id.</param>
        /// <param name="tenants">The tenant ids (each needs a gate).</param>
        public void AddSensor(string sensorId, string[] tenants)
        {
            _gating.AddSensor(new SensorSpec(sensorId, tenants, 0));
        }

        /// <summary>Gets a sensor id.</summary>
        /// <param name="index">0 to <see cref="SensorCount"/> - 1.</param>
        /// <returns>The id.</returns>
        public string SensorIdAt(int index)
        {
            return _gating.SensorAt(index).Id;
        }

        /// <summary>Gets the tenants a sensor's readings go to.</summary>
        /// <param name="index">0 to <see cref="SensorCount"/> - 1.</param>
        /// <returns>The tenant ids.</returns>
        public string[] SensorTenantsAt(int index)
        {
            return _gating.SensorAt(index).Tenants;
        }

        /// <summary>Names an actuator driven by the platform's driver of that id and the one tenant allowed to command it.</summary>
        /// <param name="actuatorId">The actuator id; the platform supplies the driver under this id.</param>
        /// <param name="tenant">The tenant id (needs a gate).</param>
        public void AddActuator(string actuatorId, string tenant)
        {
            _gating.AddActuator(new ActuatorSpec(actuatorId, tenant, 0));
        }

        /// <summary>Gets an actuator id.</summary>
        /// <param name="index">0 to <see cref="ActuatorCount"/> - 1.</param>
        /// <returns>The id.</returns>
        public string ActuatorIdAt(int index)
        {
            return _gating.ActuatorAt(index).Id;
        }

        /// <summary>Gets the tenant allowed to command an actuator.</summary>
        /// <param name="index">0 to <see cref="ActuatorCount"/> - 1.</param>
        /// <returns>The tenant id.</returns>
        public string ActuatorTenantAt(int index)
        {
            return _gating.ActuatorAt(index).Tenant;
        }
    }
}
