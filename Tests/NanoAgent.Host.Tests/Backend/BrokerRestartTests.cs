using NanoAgent.Host.Tests.Agent;
using NanoAgent.Host.Tests.Gate;

namespace NanoAgent.Host.Tests.Backend;

/// <summary>
/// End-to-end at-least-once across a broker restart (docs/reliability.md, issue #13): mosquitto is killed while the agent
/// is working on a request and started again; the sender reconnects, subscribes again and re-sends the same bytes; the
/// agent answers from what it stored, so the run still ends well and nothing runs twice. (Whether the answer comes from a
/// re-send or from the agent's own publish buffer depends on who reconnects first; both are correct.)
/// </summary>
public sealed class BrokerRestartTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDir _dir = new();
    private readonly TestBroker _broker = new("mosquitto");

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void BackendRun_BrokerRestartsMidRun_InteractiveAndBatchExit0()
    {
        using var rig = new AgentRig(broker: _broker);
        AgentRig.WriteKeys(_dir.File("keys.json"), 0x01, 0x10);
        AgentRig.WriteKeys(_dir.File("request-key.json"), 0x60, 0x50);
        File.WriteAllText(_dir.File("t.apdu"), TenantBackendTests.Script());

        // Interactive: MANAGE CHANNEL, SELECT, INITIALIZE UPDATE, EXTERNAL AUTHENTICATE, then the steps; the cut falls on step 2.
        CliRun interactive = RunCuttingBrokerAt(rig, rig.Transport.Commands + 6);
        Assert.True(interactive.ExitCode == 0, interactive.Output + interactive.Error);
        Assert.Contains("OK: interactive run, 5 steps", interactive.Output);

        int before = rig.Transport.Commands;
        CliRun batch = RunCuttingBrokerAt(rig, before + 5, "--mode", "batch");
        Assert.True(batch.ExitCode == 0, batch.Output + batch.Error);
        Assert.Contains("OK: batch run", batch.Output);
        Assert.Equal(before + 8, rig.Transport.Commands); // MANAGE CHANNEL, SELECT, the 5 APDUs of the session, each once, close
    }

    [Fact]
    public void Actuate_BrokerRestartsBeforeTheAnswer_Exit0AppliedOnce()
    {
        HoldingActuator? holding = null;
        using var rig = new GatedAgentFixture(_dir, _broker.Address, relay => holding = new HoldingActuator(relay));
        var run = Task.Run(() => CliRun.Of(
            "backend", "actuate", "--broker", rig.BrokerUrl, "--device", GatedAgentFixture.Device, "--tenant", GatedAgentFixture.Tenant,
            "--gate", Hex.Of(GatedAgentFixture.GateAid), "--mac-key-file", rig.KeyFile, "--actuator", "relay", "--command", "01",
            "--counter-file", _dir.File("c.counter"), "--timeout", "30"));

        Assert.True(holding!.Held.Wait(Wait), "the command never reached the actuator");
        _broker.Stop();
        holding.Release.Set(); // applied while the broker is down: its answer cannot be delivered now
        _broker.Start();

        CliRun done = Finished(run, "backend actuate");
        Assert.True(done.ExitCode == 0, done.Output + done.Error);
        Assert.Contains("APPLIED #1", done.Output);
        Assert.Single(rig.Relay.Applied);
    }

    private CliRun RunCuttingBrokerAt(AgentRig rig, int command, params string[] extra)
    {
        rig.Transport.Held.Reset();
        rig.Transport.Release.Reset();
        rig.Transport.HoldAt = command;
        var run = Task.Run(() => CliRun.Of(
        [
            "backend", "run", _dir.File("t.apdu"), "--broker", rig.BrokerUrl, "--device", AgentRig.Device, "--tenant", AgentRig.Tenant,
            "--keys", _dir.File("keys.json"), "--request-key", _dir.File("request-key.json"), "--state", _dir.File("state.json"), "--timeout", "30", .. extra,
        ]));
        Assert.True(rig.Transport.Held.Wait(Wait), "the run never reached the held APDU");
        _broker.Stop();
        rig.Transport.Release.Set(); // the card answers while the broker is down
        _broker.Start();
        return Finished(run, "backend run");
    }

    private static CliRun Finished(Task<CliRun> run, string what)
    {
        Assert.True(run.Wait(TimeSpan.FromSeconds(60)), what + " did not finish within 60 s");
        return run.Result;
    }
}
