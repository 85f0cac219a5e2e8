using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Demo;
using NanoAgent.VirtualSe.State;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Se;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Backend;

/// <summary>
/// issue #15: an owner's first contact with a card whose ISD still has its initial key set (KVN FF). <c>backend run</c> refuses
/// it and prints the exact commands; <c>backend rotate-keys</c> adds the owner's key set, proves it and deletes KVN FF through
/// the agent's relay; then <c>backend run</c> works with the owner's keys and KVN FF opens nothing any more.
/// </summary>
public sealed class FirstContactTests : IDisposable
{
    private const string Device = "box-1";
    private readonly TempDir _dir = new();
    private readonly AgentHost _agent;

    public FirstContactTests()
    {
        // Bench set-up (docs/lifecycle.md §0): the owner's request key goes into the ISD over the local link, with KVN FF.
        AgentRig.WriteKeys(_dir.File("owner-request-key.json"), 0x60, 0x70);
        var initial = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, CardState.InitialKeyVersion, CardState.InitialKey);
        Assert.Equal(0x9000, DemoBootstrap.PutOwnerRequestKey(_dir.File("virtual-se.json"), initial, AgentRig.MakeKeys(0x60, 0x70)));
        _agent = AgentHost.Start(
            new AgentHostOptions
            {
                Target = new SeTarget { StatePath = _dir.File("virtual-se.json") },
                Tenants = TenantRegistry.Parse("owner A000000151000000 0\n"),
                StorePath = _dir.File("relay-store.json"),
                NewStore = true,
                DisablePlatformScp = true,
                EmbeddedBrokerPort = 0,
                DeviceId = Device,
                KeyStatusIntervalSeconds = 0,
            },
            TextWriter.Null);
        File.WriteAllText(_dir.File("cplc.apdu"), "sd A000000151000000\n80CA9F7F00\n");
    }

    private string Broker => $"mqtt://127.0.0.1:{_agent.BrokerAddress.Port}";

    public void Dispose()
    {
        _agent.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void BackendRun_InitialKeySet_IsRefusedWithTheRotationCommands()
    {
        CliRun run = Run("--keys", "default");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("initial key set (KVN FF)", run.Error);
        Assert.Contains("nanoagent gp keygen --out owner-keys.json --kvn 01", run.Error);
        Assert.Contains($"nanoagent backend rotate-keys --broker {Broker} --device {Device} --tenant owner --sd A000000151000000 --keys default --new-keys owner-keys.json --request-key", run.Error);

        AgentRig.WriteKeys(_dir.File("ff.json"), 0xFF, 0x40);
        CliRun file = Run("--keys", _dir.File("ff.json"));
        Assert.Equal(ExitCodes.Usage, file.ExitCode);
        Assert.Contains("initial key set (KVN FF)", file.Error);
    }

    [Fact]
    public void RotateKeys_FromKvnFF_ThenRunWorksWithTheOwnersKeysOnly()
    {
        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "keygen", "--out", _dir.File("owner-keys.json"), "--kvn", "01").ExitCode);

        CliRun rotate = Rotate("default");
        Assert.True(rotate.ExitCode == ExitCodes.Ok, rotate.Output + rotate.Error);
        Assert.Contains("OK: SD A000000151000000 now opens with key set 01 only", rotate.Output);

        CliRun run = Run("--keys", _dir.File("owner-keys.json"));
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Output + run.Error);
        Assert.Contains("9F7F", run.Output);

        // KVN FF is gone: a second rotation from it cannot open the domain, and changes nothing.
        CliRun again = Rotate("default");
        Assert.Equal(ExitCodes.Failed, again.ExitCode);
        Assert.True(Run("--keys", _dir.File("owner-keys.json")).ExitCode == ExitCodes.Ok);
    }

    [Fact]
    public void RotateKeys_Json_MatchesDocs()
    {
        Assert.Equal(ExitCodes.Ok, CliRun.Of("gp", "keygen", "--out", _dir.File("owner-keys.json"), "--kvn", "01").ExitCode);

        CliRun rotate = CliRun.Of([.. RotateArgs("default"), "--json"]);

        System.Text.Json.JsonElement data = NanoAgent.Host.Tests.Cli.JsonDoc.AssertMatches("backend rotate-keys", rotate.Output, ExitCodes.Ok);
        Assert.True(data.GetProperty("added").GetBoolean() && data.GetProperty("deleted").GetBoolean());
        Assert.StartsWith("SCP03 keys KVN 01", data.GetProperty("newKeySet").GetString());
    }

    private CliRun Rotate(string keys) => CliRun.Of(RotateArgs(keys));

    private string[] RotateArgs(string keys) =>
        ["backend", "rotate-keys", "--broker", Broker, "--device", Device, "--tenant", "owner",
        "--keys", keys, "--new-keys", _dir.File("owner-keys.json"), "--request-key", _dir.File("owner-request-key.json"), "--state", _dir.File("state.json"), "--timeout", "20"];

    private CliRun Run(params string[] keys) => CliRun.Of(["backend", "run", _dir.File("cplc.apdu"), "--broker", Broker, "--device", Device,
        "--tenant", "owner", .. keys, "--request-key", _dir.File("owner-request-key.json"), "--state", _dir.File("state.json"), "--timeout", "20"]);
}
