using System.Device.I2c;
using System.Text;
using System.Threading;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Boards;
using NanoAgent.Device.Mqtt;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Device.Bus;
using NanoAgent.Drivers.T1.Se05x;
using nanoFramework.M2Mqtt;

namespace NanoAgent.Device
{
    /// <summary>Firmware entry point: wires the board, the SE transport and the MQTT connection. The agent itself is not here yet.</summary>
    public static class Program
    {
        // Deployment settings: edit before flashing (no configuration store yet).
        private const string BoardId = "esp32-devkitc";
        private const string BrokerHost = "192.168.1.10";
        private const int BrokerPort = 1883;
        private const string DeviceId = "nanoagent-dev1";

        /// <summary>Starts the firmware.</summary>
        public static void Main()
        {
            // 1. Board: bus ids, SE address and pins. ESP32 pin routing (Configuration.SetPinFunction) and the
            //    network (Wi-Fi or Ethernet) must be set up before this point: see README.md.
            BoardDefinition board = BoardCatalog.Find(BoardId);

            // 2. SE transport: SE05x T=1 over I2C (UM11225).
            NanoI2cBus bus = NanoI2cBus.Open(board.I2c.BusId, board.SeI2cAddress, I2cBusSpeed.FastMode);
            var transport = new Se05xT1Protocol(new I2cFrameLink(bus, ownsBus: true), SystemClock.Instance, new Se05xT1Options(), ownsLink: true);

            // 3. MQTT: M2Mqtt client, kept up by the portable reconnecting wrapper; the will marks the device offline.
            var client = new MqttClient(BrokerHost, BrokerPort, false, null, null, MqttSslProtocols.None);
            var mqtt = new ReconnectingMqttConnection(new M2MqttConnection(client, 10000), SystemClock.Instance, new ReconnectOptions(), ownsInner: true);
            mqtt.Connect(new MqttConnectOptions
            {
                ClientId = DeviceId,
                CleanSession = true,
                KeepAliveSeconds = 30,
                WillTopic = "nanoagent/" + DeviceId + "/status",
                WillPayload = Encoding.UTF8.GetBytes("offline"),
                WillRetain = true,
            });
            mqtt.Publish("nanoagent/" + DeviceId + "/status", Encoding.UTF8.GetBytes("online"), MqttQos.AtLeastOnce, true);

            // ==== AGENT GOES HERE (not built yet) ====
            // The agent (script relay, tenants, gating: Agent/NanoAgent.Agent) will take `transport` and `mqtt`.
            // Until it exists this firmware only connects, announces itself and keeps the link up; `transport` is unused.
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
