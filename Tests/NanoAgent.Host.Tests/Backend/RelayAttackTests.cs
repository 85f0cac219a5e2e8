using System.Security.Cryptography;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Host.Backend;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Tests.Backend;

/// <summary>
/// Issue #12 end to end over MQTT: an attacker with only broker access (publish on acme's request topic, no key) tries to
/// burn acme's counter and to block its SD key set; variants use a replayed, another key's, truncated or far-ahead
/// request. Each is refused with its reason on the result topic of the topic it was sent on, and acme's next
/// <c>nanoagent backend run</c> succeeds. Then acme's own buggy backend cannot get its key set blocked either.
/// </summary>
public sealed class RelayAttackTests : IDisposable
{
    private readonly AgentRig _rig = new();
    private readonly TempDir _dir = new();

    public RelayAttackTests()
    {
        AgentRig.WriteKeys(_dir.File("keys.json"), 0x01, 0x10);
        AgentRig.WriteKeys(_dir.File("request-key.json"), 0x60, 0x50);
        AgentRig.WriteKeys(_dir.File("wrong.json"), 0x01, 0x40);
        File.WriteAllText(_dir.File("t.apdu"), TenantBackendTests.Script());
    }

    public void Dispose()
    {
        _rig.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Attack1_PlainRequestWithLargestCounter_RefusedWithReason_VictimsNextRunSucceeds()
    {
        int before = _rig.Transport.Commands; // the ISD's set-up of acme's SSD
        Assert.Equal((ScriptOutcome.Rejected, RejectReason.NotAuthenticated), Attack(ScriptMessageCodec.Encode(Request(ulong.MaxValue, GetData()))));
        Assert.Equal(before, _rig.Transport.Commands);

        AssertVictimRunSucceeds();
    }

    [Fact]
    public void Attack2_ForgedExternalAuthenticateThreeTimes_RefusedWithReason_KeySetNotBlocked_VictimsNextRunSucceeds()
    {
        int before = _rig.Transport.Commands;
        for (ulong i = 1; i <= 3; i++)
        {
            Assert.Equal((ScriptOutcome.Rejected, RejectReason.NotAuthenticated), Attack(ScriptMessageCodec.Encode(Request(i, ForgedAuthentication()))));
        }

        Assert.Equal(before, _rig.Transport.Commands);
        KeySetRecord keySet = _rig.Card.State.Find(AgentRig.Ssd)!.Domain!.FindKeySet(0x01)!;
        Assert.Equal((0, false), (keySet.FailedAuthentications, keySet.Blocked));

        AssertVictimRunSucceeds();
    }

    [Fact]
    public void Variants_ReplayedOtherKeyTruncatedFarAhead_EachRefusedWithReason_VictimsNextRunSucceeds()
    {
        // A captured authenticated request of acme: its redelivery is answered from the store, the SE sees nothing.
        RequestSigner acme = RequestSigner.FromKeySet(AgentRig.RequestKeys, AgentRig.Device, AgentRig.Tenant);
        byte[] captured = acme.Sign(Request(5, GetData()));
        Assert.Equal((ScriptOutcome.Completed, RejectReason.None), Attack(captured));
        int commands = _rig.Transport.Commands;
        Assert.Equal((ScriptOutcome.Completed, RejectReason.None), Attack(captured));
        Assert.Equal(commands, _rig.Transport.Commands);

        // Another tenant's (or a guessed) request key.
        var other = new NanoAgent.Drivers.Scp03.Scp03StaticKeys(BouncyCastleAesFactory.Instance, 0x60, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16));
        Assert.Equal((ScriptOutcome.Rejected, RejectReason.NotAuthenticated), Attack(RequestSigner.FromKeySet(other, AgentRig.Device, AgentRig.Tenant).Sign(Request(6, ForgedAuthentication()))));

        // acme's genuine authenticator cut to 8 bytes.
        ScriptRequest truncated = Request(7, GetData());
        acme.Sign(truncated);
        truncated.Authenticator = truncated.Authenticator![..9];
        Assert.Equal((ScriptOutcome.Rejected, RejectReason.NotAuthenticated), Attack(ScriptMessageCodec.Encode(truncated)));

        // A genuine request whose counter jumps more than the window (2^32) ahead.
        Assert.Equal((ScriptOutcome.Rejected, RejectReason.CounterOutOfWindow), Attack(acme.Sign(Request(5 + 0x100000001UL, GetData()))));

        AssertVictimRunSucceeds();
    }

    [Fact]
    public void BuggyBackend_FailedExternalAuthenticate_LockedOutNotBlocked_ResetGrantsOneAttempt_RunSucceeds()
    {
        Assert.Equal(0, Run().ExitCode); // learns the sequence counter
        CliRun wrong = Run("--keys", _dir.File("wrong.json"), "--mode", "batch");
        Assert.Equal(1, wrong.ExitCode);

        CliRun locked = Run("--mode", "batch");
        Assert.Equal(1, locked.ExitCode);
        Assert.Contains("AuthLockout", locked.Output + locked.Error);
        KeySetRecord keySet = _rig.Card.State.Find(AgentRig.Ssd)!.Domain!.FindKeySet(0x01)!;
        Assert.Equal((1, false), (keySet.FailedAuthentications, keySet.Blocked));

        CliRun reset = Run("--reset-auth-guard", "true");
        Assert.True(reset.ExitCode == 0, reset.Output + reset.Error);
        Assert.Equal(0, keySet.FailedAuthentications);
    }

    [Fact]
    public void BuggyBackend_ResetBetweenFailures_CardStopsOneShortOfItsBlock_EvenRightKeysWithheld()
    {
        // docs/protocol.md §4.5: the reset's attempt counts, so after it fails too the key set is one failure from blocking
        // on a card that blocks at 3: the relay forwards no further attempt, whoever asks.
        Assert.Equal(0, Run().ExitCode);
        Assert.Equal(1, Run("--keys", _dir.File("wrong.json"), "--mode", "batch").ExitCode);
        Assert.Equal(1, Run("--keys", _dir.File("wrong.json"), "--mode", "batch", "--reset-auth-guard", "true").ExitCode);

        CliRun right = Run("--mode", "batch", "--reset-auth-guard", "true");

        Assert.Equal(1, right.ExitCode);
        Assert.Contains("AuthLockout", right.Output + right.Error);
        KeySetRecord keySet = _rig.Card.State.Find(AgentRig.Ssd)!.Domain!.FindKeySet(0x01)!;
        Assert.Equal((2, false), (keySet.FailedAuthentications, keySet.Blocked));
    }

    private void AssertVictimRunSucceeds()
    {
        CliRun run = Run();
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("OK: interactive run, 5 steps", run.Output);
    }

    // Publishes on acme's request topic (what the broker lets the attacker do) and reads acme's result topic.
    private (ScriptOutcome, RejectReason) Attack(byte[] payload)
    {
        using BackendLink link = _rig.Link();
        link.Send(payload);
        var result = (ScriptResult)link.Next(ScriptMessageCodec.DecodeScriptRequest(payload).ScriptId, null);
        return (result.Outcome, result.Reason);
    }

    private static ScriptRequest Request(ulong counter, ScriptStep[] steps) => new()
    {
        ScriptId = Guid.NewGuid().ToByteArray(), TenantId = AgentRig.Tenant, Counter = counter, TargetAid = AgentRig.Ssd, Mode = ScriptMode.Batch, Steps = steps,
    };

    private static ScriptStep[] GetData() => [new ScriptStep(Hex.Parse("80CA004200"), 0x9000, 0x0000, false, false)];

    private static ScriptStep[] ForgedAuthentication() =>
    [
        new ScriptStep([0x80, 0x50, 0x00, 0x00, 0x08, .. RandomNumberGenerator.GetBytes(8), 0x00], 0x9000, 0xFFFF, false, false),
        new ScriptStep([0x84, 0x82, 0x33, 0x00, 0x10, .. RandomNumberGenerator.GetBytes(16)], 0x9000, 0xFFFF, false, false),
    ];

    private CliRun Run(params string[] extra)
    {
        var args = new List<string>
        {
            "backend", "run", _dir.File("t.apdu"), "--broker", _rig.BrokerUrl, "--device", AgentRig.Device, "--tenant", AgentRig.Tenant,
            "--request-key", _dir.File("request-key.json"), "--state", _dir.File("state.json"), "--timeout", "20",
        };
        if (!extra.Contains("--keys"))
        {
            args.AddRange(["--keys", _dir.File("keys.json")]);
        }

        args.AddRange(extra);
        return CliRun.Of([.. args]);
    }
}
