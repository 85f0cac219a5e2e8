using System.Net;
using System.Net.Sockets;
using NanoAgent.Agent.Gating;
using NanoAgent.Host.Gate;

namespace NanoAgent.Host.Tests.Gate;

/// <summary><c>backend watch</c> and <c>backend actuate</c> against a running agent with gating (docs/gating.md).</summary>
public sealed class BackendGateCommandsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly GatedAgentFixture _rig;

    public BackendGateCommandsTests() => _rig = new GatedAgentFixture(_dir);

    public void Dispose()
    {
        _rig.Dispose();
        _dir.Dispose();
    }

    private string[] Common(string command, params string[] more) =>
    [
        "backend", command, "--broker", _rig.BrokerUrl, "--device", GatedAgentFixture.Device, "--tenant", GatedAgentFixture.Tenant,
        "--gate", Hex.Of(GatedAgentFixture.GateAid), .. more,
    ];

    [Fact]
    public void Watch_FreshReadings_PrintsVerifiedAndExitsZero()
    {
        CliRun run = _rig.WatchWhilePublishing(Common("watch", "--mac-key-file", _rig.KeyFile, "--count", "2", "--state", _dir.File("w.counter")));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Count(l => l.StartsWith("VERIFIED #", StringComparison.Ordinal)));
        Assert.Matches(@"VERIFIED #\d+ energy \d+\.\d{3} kWh at 2026-11-23T14:53:17Z", run.Output);
        Assert.Contains("2 reading(s), 2 verified, 0 rejected", run.Output);
        Assert.True(new GateCounterFile(_dir.File("w.counter")).Read() >= 2);
    }

    [Fact]
    public void Watch_ReplayAfterRestart_RejectedWithExitOne()
    {
        // A reading the watcher already verified (counter saved on disk) is replayed to a restarted watcher.
        using var spy = GateBackendClient.Connect(_rig.BrokerUrl, null, null, null, GateTopics.Reading(GatedAgentFixture.Device, GatedAgentFixture.Tenant, "+"));
        CliRun first = _rig.WatchWhilePublishing(Common("watch", "--mac-key-file", _rig.KeyFile, "--count", "1", "--state", _dir.File("r.counter")));
        Assert.Equal(0, first.ExitCode);
        byte[] old = spy.Next(TimeSpan.FromSeconds(5))!.Payload;

        CliRun replay = GatedAgentFixture.RunWhileRepeating(
            () => spy.Publish(GateTopics.Reading(GatedAgentFixture.Device, GatedAgentFixture.Tenant, "energy"), old),
            Common("watch", "--mac-key-file", _rig.KeyFile, "--count", "1", "--state", _dir.File("r.counter")));

        Assert.Equal(1, replay.ExitCode);
        Assert.Matches(@"REJECTED \(replayed: counter \d+ is not above the last seen \d+\)", replay.Output);
    }

    [Fact]
    public void Watch_WrongKeyJson_RejectsWithVerdictAndExitsOne()
    {
        GateKeyFile.Write(_dir.File("other.key"), Hex.Parse("0F0E0D0C0B0A09080706050403020100"));
        CliRun run = _rig.WatchWhilePublishing(Common("watch", "--mac-key-file", _dir.File("other.key"), "--count", "1", "--json", "--state", _dir.File("j.counter")));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("\"verdict\":\"wrong key\"", run.Output);
        Assert.Equal(0UL, new GateCounterFile(_dir.File("j.counter")).Read());
    }

    [Fact]
    public void Watch_Json_JsonLinesMatchDocs()
    {
        CliRun run = _rig.WatchWhilePublishing(Common("watch", "--mac-key-file", _rig.KeyFile, "--count", "2", "--json", "--state", _dir.File("jl.counter")));

        var lines = NanoAgent.Host.Tests.Cli.JsonDoc.AssertLinesMatch("backend watch", run.Output, 0);
        Assert.Equal(3, lines.Count);
        Assert.All(lines.Take(2), l => Assert.Equal("verified", l.GetProperty("verdict").GetString()));
        Assert.Equal(2, lines[2].GetProperty("data").GetProperty("verified").GetInt32());
    }

    [Fact]
    public void Actuate_Json_MatchesDocs()
    {
        CliRun run = CliRun.Of(Common("actuate", "--json", "--mac-key-file", _rig.KeyFile, "--actuator", "relay", "--command", "01", "--counter-file", _dir.File("cj.counter")));

        System.Text.Json.JsonElement data = NanoAgent.Host.Tests.Cli.JsonDoc.AssertMatches("backend actuate", run.Output, 0);
        Assert.True(data.GetProperty("applied").GetBoolean());
        Assert.Equal("01", data.GetProperty("command").GetString());
    }

    [Fact]
    public void Watch_DurationWithNothingArriving_ExitsZero()
    {
        CliRun run = CliRun.Of(Common("watch", "--mac-key-file", _rig.KeyFile, "--duration", "0.3", "--state", _dir.File("d.counter")));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("0 reading(s)", run.Output);
    }

    [Fact]
    public void Actuate_SignedCommand_AppliedThenReplayRefused()
    {
        string counter = _dir.File("c.counter");
        CliRun ok = CliRun.Of(Common("actuate", "--mac-key-file", _rig.KeyFile, "--actuator", "relay", "--command", "01", "--counter-file", counter));
        Assert.True(ok.ExitCode == 0, ok.Output + ok.Error);
        Assert.Contains("APPLIED #1", ok.Output);
        Assert.Single(_rig.Relay.Applied);

        // The backend's counter file is rolled back: the agent's SE refuses the reused counter.
        new GateCounterFile(counter).Write(0);
        CliRun replay = CliRun.Of(Common("actuate", "--mac-key-file", _rig.KeyFile, "--actuator", "relay", "--command", "00", "--counter-file", counter));
        Assert.Equal(1, replay.ExitCode);
        Assert.Contains("REFUSED #1", replay.Output);
        Assert.Contains("(reason 5)", replay.Output);
        Assert.Single(_rig.Relay.Applied);
    }

    [Fact]
    public void Actuate_WrongKeyOrUnknownActuator_Refused()
    {
        GateKeyFile.Write(_dir.File("other.key"), Hex.Parse("0F0E0D0C0B0A09080706050403020100"));
        CliRun bad = CliRun.Of(Common("actuate", "--mac-key-file", _dir.File("other.key"), "--actuator", "relay", "--command", "01", "--counter-file", _dir.File("c1")));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("(reason 4)", bad.Output);
        CliRun unknown = CliRun.Of(Common("actuate", "--mac-key-file", _rig.KeyFile, "--actuator", "valve", "--command", "01", "--counter-file", _dir.File("c2")));
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("(reason 3)", unknown.Output);
        Assert.Empty(_rig.Relay.Applied);
    }

    [Fact]
    public void Commands_BrokerUnreachable_ExitThree()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string url = $"mqtt://127.0.0.1:{port}";
        CliRun watch = CliRun.Of("backend", "watch", "--broker", url, "--device", "d", "--tenant", "t", "--gate", "F06E616E6F47410A", "--mac-key-file", _rig.KeyFile, "--count", "1", "--state", _dir.File("x"));
        Assert.Equal(3, watch.ExitCode);
        Assert.Contains("cannot reach the broker", watch.Error);
        CliRun actuate = CliRun.Of("backend", "actuate", "--broker", url, "--device", "d", "--tenant", "t", "--gate", "F06E616E6F47410A", "--mac-key-file", _rig.KeyFile, "--actuator", "relay", "--command", "01", "--counter-file", _dir.File("y"));
        Assert.Equal(3, actuate.ExitCode);
    }

    [Fact]
    public void Watch_BadArguments_ExitTwoInPlainWords()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // file modes are Unix only
        }

        File.WriteAllText(_dir.File("open.key"), Hex.Of(GatedAgentFixture.MacKey));
        File.SetUnixFileMode(_dir.File("open.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        CliRun open = CliRun.Of(Common("watch", "--mac-key-file", _dir.File("open.key"), "--count", "1"));
        Assert.Equal(2, open.ExitCode);
        Assert.Contains("chmod 600", open.Error);
        CliRun both = CliRun.Of(Common("watch", "--count", "1"));
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--mac-key-file", both.Error);
        Assert.Equal(0, CliRun.Of("backend", "watch", "--help").ExitCode);
        Assert.Equal(0, CliRun.Of("backend", "actuate", "--help").ExitCode);
    }
}
