using System.Collections.Concurrent;
using System.Text;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Status;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Common;
using NanoAgent.Host.Demo;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Se;
using BackendRig = NanoAgent.Host.Tests.Backend.AgentRig;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Tests.Agent;

public class KeyStatusTests
{
    [Fact]
    public async Task Start_PublishesRetainedKeyStatusPerTenant()
    {
        using var rig = new AgentRig();
        AgentHost host = rig.Start(rig.Options(null, embeddedPort: 0, keyStatus: true));

        using var watcher = new MqttNetConnection(host.BrokerAddress);
        var received = new TaskCompletionSource<string>();
        watcher.MessageReceived += (_, m) =>
        {
            if (m.Topic == KeyStatusReporter.Topic("dev1"))
            {
                received.TrySetResult(Encoding.UTF8.GetString(m.Payload));
            }
        };
        watcher.Connect(new MqttConnectOptions { ClientId = "key-status-watcher", CleanSession = true });
        watcher.Subscribe([KeyStatusReporter.Topic("dev1")], [MqttQos.AtLeastOnce]);

        string text = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var tenant in rig.Tenants.All())
        {
            Assert.Contains(tenant.Id + " ", text);
        }

        Assert.Equal(text, host.PublishKeyStatus());
    }

    [Fact]
    public void Rotation_ThroughTheRelay_TheRetainedKeyStatusShowsTheNewKvn()
    {
        // docs/key-status.md: the key status is published again after a relayed run that changed keys, not only hourly.
        using var dir = new TempDir();
        var initial = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, CardState.InitialKeyVersion, CardState.InitialKey);
        Assert.Equal(0x9000, DemoBootstrap.PutOwnerRequestKey(dir.File("virtual-se.json"), initial, BackendRig.MakeKeys(0x60, 0x70)));
        BackendRig.WriteKeys(dir.File("owner-request-key.json"), 0x60, 0x70);
        var log = new AgentRig.LogSink();
        using AgentHost host = AgentHost.Start(
            new AgentHostOptions
            {
                Target = new SeTarget { StatePath = dir.File("virtual-se.json") }, Tenants = TenantRegistry.Parse("owner A000000151000000 0\n"),
                StorePath = dir.File("relay-store.json"), NewStore = true, DisablePlatformScp = true, EmbeddedBrokerPort = 0, DeviceId = "box-1",
            },
            log);
        using var live = new Watcher(host.BrokerAddress);
        Assert.StartsWith("owner A000000151000000 FF 128 ", live.Next(_ => true));

        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "keygen", "--out", dir.File("owner-keys.json"), "--kvn", "01").ExitCode);
        CliRun rotate = CliRun.Of("backend", "rotate-keys", "--broker", $"mqtt://127.0.0.1:{host.BrokerAddress.Port}", "--device", "box-1", "--tenant", "owner",
            "--keys", "default", "--new-keys", dir.File("owner-keys.json"), "--request-key", dir.File("owner-request-key.json"), "--state", dir.File("state.json"), "--timeout", "20");
        Assert.True(rotate.ExitCode == ExitCodes.Ok, rotate.Output + rotate.Error);

        string rotated = live.Next(text => text.StartsWith("owner A000000151000000 01 128 ", StringComparison.Ordinal));
        log.WaitFor("agent: key status published after a key change");
        using var late = new Watcher(host.BrokerAddress);
        Assert.Equal(rotated, late.Next(_ => true)); // the retained copy a new subscriber gets
    }

    private sealed class Watcher : IDisposable
    {
        private readonly MqttNetConnection _connection;
        private readonly BlockingCollection<string> _texts = new();

        public Watcher(MqttBrokerAddress broker)
        {
            _connection = new MqttNetConnection(broker);
            _connection.MessageReceived += (_, m) => _texts.Add(Encoding.UTF8.GetString(m.Payload));
            _connection.Connect(new MqttConnectOptions { ClientId = "keys-" + Guid.NewGuid().ToString("N")[..8], CleanSession = true });
            _connection.Subscribe([KeyStatusReporter.Topic("box-1")], [MqttQos.AtLeastOnce]);
        }

        public string Next(Func<string, bool> wanted)
        {
            var seen = new List<string>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (_texts.TryTake(out string? text, deadline - DateTime.UtcNow > TimeSpan.Zero ? deadline - DateTime.UtcNow : TimeSpan.Zero))
            {
                if (wanted(text))
                {
                    return text;
                }

                seen.Add(text);
            }

            Assert.Fail("no such key status; seen:\n" + string.Join("\n--\n", seen));
            return string.Empty;
        }

        public void Dispose() => _connection.Dispose();
    }
}
