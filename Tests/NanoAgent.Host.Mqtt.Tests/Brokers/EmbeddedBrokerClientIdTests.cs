using System.Diagnostics;
using System.Text;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Mqtt.Tests.Access;

namespace NanoAgent.Host.Mqtt.Tests.Brokers;

/// <summary>
/// The embedded broker gives a client that sends an empty client id one of its own (MQTT 3.1.1 §3.1.3.1; MQTT 5 §3.2.2.3.7,
/// the Assigned Client Identifier), so stock <c>mosquitto_pub</c> and <c>mosquitto_sub</c> work without <c>-i</c>; a login's
/// id is then one of its own (docs/broker-security.md). The real mosquitto clients are used.
/// </summary>
public class EmbeddedBrokerClientIdTests
{
    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public void EmptyClientId_StockMosquittoPubAndSub_Work(string version)
    {
        using var broker = new EmbeddedBroker();
        broker.Start();
        string port = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Retained, so the subscriber started afterwards receives it without racing its subscription.
        Run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", version, "-q", "1", "-r", "-t", "lab/hello", "-m", "from mosquitto_pub");
        string received = Run("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", version, "-q", "1", "-t", "lab/hello", "-C", "1", "-W", "10");

        Assert.Equal("from mosquitto_pub", received.Trim());
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public void EmptyClientId_WithUsers_TheLoginGetsAnIdOfItsOwnAndItsRules(string version)
    {
        using var broker = new EmbeddedTestBroker(AccessSetup.Policy());
        broker.Start();
        using var agent = new MqttNetConnection(broker.Address);
        agent.Connect(new MqttConnectOptions { ClientId = "dev1-agent", UserName = "dev1-agent", Password = AccessSetup.Passwords["dev1-agent"], CleanSession = true });
        var sink = new MessageSink(agent);
        agent.Subscribe(["nanoagent/dev1/+/script/req"], [MqttQos.AtLeastOnce]);
        string port = broker.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", version, "-q", "1", "-u", "acme-be", "-P", AccessSetup.Passwords["acme-be"],
            "-t", "nanoagent/dev1/acme/script/req", "-m", "acme without -i");

        MqttMessage message = sink.Next("acme's request, sent by mosquitto_pub without a client id");
        Assert.Equal("acme without -i", Encoding.UTF8.GetString(message.Payload));
        lock (broker.Refusals)
        {
            Assert.Empty(broker.Refusals);
        }
    }

    [Fact]
    public void EmptyClientId_Mqtt31_RefusedWithIdentifierRejectedAndLogged()
    {
        // MQTT 3.1 (MQIsdp, level 3) requires a client id of 1 to 23 characters: CONNACK 0x02, and the broker says why.
        using var broker = new EmbeddedTestBroker(AccessSetup.Policy());
        broker.Start();

        byte[] connack = RawConnect(broker, "MQIsdp", 3, cleanSession: true);

        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x02 }, connack);
        lock (broker.Refusals)
        {
            Assert.Contains("refused connection of client '' as user 'acme-be': an empty client id needs MQTT 3.1.1 with a clean session, or MQTT 5", broker.Refusals);
        }
    }

    [Fact]
    public void EmptyClientId_Mqtt311PersistentSession_NotAccepted()
    {
        // MQTT 3.1.1 §3.1.3-8 asks for CONNACK 0x02; MQTTnet.Server's decoder drops such a CONNECT before the broker sees it
        // and closes the connection (docs/broker-security.md): either way the client is not connected.
        using var broker = new EmbeddedTestBroker(AccessSetup.Policy());
        broker.Start();

        byte[] connack = RawConnect(broker, "MQTT", 4, cleanSession: false);

        Assert.False(connack is [0x20, 0x02, 0x00, 0x00], "the broker accepted an empty client id with a persistent session");
    }

    [Fact]
    public void TakenOver_EmbeddedBrokerSaysSo_InLastDisconnectReason()
    {
        // Without a users file nothing binds ids to logins: a second connection under an id closes the first, and MQTT 5 says why.
        using var broker = new EmbeddedBroker();
        broker.Start();
        using var first = new MqttNetConnection(broker.Address);
        using var closed = new ManualResetEventSlim();
        first.ConnectionClosed += (_, _) => closed.Set();
        first.Connect(new MqttConnectOptions { ClientId = "same", CleanSession = true });
        using var second = new MqttNetConnection(broker.Address);

        second.Connect(new MqttConnectOptions { ClientId = "same", CleanSession = true });

        Assert.True(closed.Wait(MessageSink.Wait), "the first connection was not closed");
        Assert.Equal("session taken over: another connection logged in with the same client id", first.LastDisconnectReason);
    }

    // A CONNECT with an empty client id and acme's login, written by hand (MQTTnet's client will not send every variant);
    // returns the first 4 bytes of the answer (fewer, zero-filled, when the broker closes first).
    private static byte[] RawConnect(EmbeddedTestBroker broker, string protocol, byte level, bool cleanSession)
    {
        byte[] name = Encoding.ASCII.GetBytes(protocol);
        byte[] user = Encoding.UTF8.GetBytes("acme-be");
        byte[] password = Encoding.UTF8.GetBytes(AccessSetup.Passwords["acme-be"]);
        byte flags = (byte)(0xC0 | (cleanSession ? 0x02 : 0x00));
        byte[] body =
        [
            0x00, (byte)name.Length, .. name, level, flags, 0x00, 0x3C, 0x00, 0x00,
            (byte)(user.Length >> 8), (byte)user.Length, .. user, (byte)(password.Length >> 8), (byte)password.Length, .. password,
        ];
        using var tcp = new System.Net.Sockets.TcpClient("127.0.0.1", broker.Address.Port);
        System.Net.Sockets.NetworkStream stream = tcp.GetStream();
        stream.ReadTimeout = (int)MessageSink.Wait.TotalMilliseconds;
        stream.Write([0x10, (byte)body.Length, .. body]);
        byte[] answer = new byte[4];
        stream.ReadAtLeast(answer, 4, throwOnEndOfStream: false);
        return answer;
    }

    private static string Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(MosquittoFixture.Find(tool, "/usr/bin", "/usr/local/bin")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(15_000))
        {
            process.Kill();
            Assert.Fail($"{tool} did not finish within 15 s");
        }

        Assert.True(process.ExitCode == 0, $"{tool} exited with {process.ExitCode}: {error.Result}");
        return output.Result;
    }
}
