using System.Text;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Cli;

public class BrokerCommandTests
{
    [Fact]
    public async Task Broker_AcceptsClientsUntilItsDurationEnds()
    {
        int port = EmbeddedBroker.FreeLoopbackPort();
        var run = Task.Run(() => CliRun.Of("broker", "--port", port.ToString(), "--duration", "5"));

        using var client = new MqttNetConnection(MqttBrokerAddress.Parse($"mqtt://127.0.0.1:{port}"));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            try
            {
                client.Connect(new MqttConnectOptions { ClientId = "broker-test", CleanSession = true });
                break;
            }
            catch (MqttConnectionException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }

        var received = new TaskCompletionSource<string>();
        client.MessageReceived += (_, m) => received.TrySetResult(Encoding.UTF8.GetString(m.Payload));
        client.Subscribe(["t/x"], [MqttQos.AtLeastOnce]);
        client.Publish("t/x", Encoding.UTF8.GetBytes("hello"), MqttQos.AtLeastOnce, retain: false);
        Assert.Equal("hello", await received.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        client.Disconnect();

        CliRun result = await run;
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains($"broker listening on mqtt://127.0.0.1:{port}", result.Output);
    }

    [Fact]
    public void Broker_UserWithoutPassword_IsAUsageError()
    {
        Assert.Equal(ExitCodes.Usage, CliRun.Of("broker", "--user", "u").ExitCode);
    }
}

public class BrokerCommandBindTests
{
    [Fact]
    public void Broker_PortTaken_ExitsNoDeviceWithReason()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            CliRun run = CliRun.Of("broker", "--port", port.ToString(), "--duration", "1");
            Assert.Equal(ExitCodes.NoDevice, run.ExitCode); // a resource it could not get, like agent --embedded-broker
            Assert.Contains($"cannot start the broker on 127.0.0.1:{port}", run.Error);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void Broker_BindAnyAddress_StillServesLoopbackClients()
    {
        int port = EmbeddedBroker.FreeLoopbackPort();
        using var broker = new EmbeddedBroker(port) { BindAddress = System.Net.IPAddress.Any };
        broker.Start();
        using var client = new MqttNetConnection(MqttBrokerAddress.Parse($"mqtt://127.0.0.1:{port}"));
        client.Connect(new MqttConnectOptions { ClientId = "bind-any", CleanSession = true });
        Assert.True(client.IsConnected);
        client.Disconnect();
    }

    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("::1")]
    public void Broker_BadBindAddress_IsAUsageError(string bind)
    {
        CliRun run = CliRun.Of("broker", "--bind", bind, "--duration", "1");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("IPv4", run.Error);
    }
}
