using CsCheck;
using NanoAgent.Host.Backend;

namespace NanoAgent.Host.Tests.Backend;

/// <summary><c>nanoagent backend run</c> in process against the in-process agent rig.</summary>
public sealed class BackendCommandTests : IDisposable
{
    private readonly AgentRig _rig = new();
    private readonly TempDir _dir = new();

    public BackendCommandTests()
    {
        AgentRig.WriteKeys(_dir.File("keys.json"), 0x01, 0x10);
        AgentRig.WriteKeys(_dir.File("request-key.json"), 0x60, 0x50);
        File.WriteAllText(_dir.File("t.apdu"), TenantBackendTests.Script());
    }

    public void Dispose()
    {
        _rig.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Run_Interactive_Exit0_PrintsTableAndOutcome()
    {
        CliRun run = Run("t.apdu");
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("[3/5] 80F24002.. -> 6A88 ok", run.Output);
        Assert.Contains("DF2003414243", run.Output);
        Assert.Contains("OK: interactive run, 5 steps", run.Output);
    }

    [Fact]
    public void Run_BatchAfterInteractive_Exit0()
    {
        Assert.Equal(0, Run("t.apdu").ExitCode);
        CliRun batch = Run("t.apdu", "--mode", "batch");
        Assert.True(batch.ExitCode == 0, batch.Output + batch.Error);
        Assert.Contains("OK: batch run", batch.Output);
    }

    [Fact]
    public void Run_BatchInterrupted_ReportsInterruptedWithTheCountersUsed_NextBatchWorks()
    {
        Assert.Equal(0, Run("t.apdu").ExitCode); // learns the SD's sequence counter
        _rig.Transport.BreakAt = _rig.Transport.Commands + 6; // MANAGE CHANNEL, SELECT, INITIALIZE UPDATE, EXTERNAL AUTHENTICATE, step 1, step 2 (lost)

        CliRun cut = Run("t.apdu", "--mode", "batch");

        Assert.Equal(1, cut.ExitCode);
        Assert.Contains($"the run was interrupted at step 3 (reboot or SE link lost): the SD's sequence counter is now {_rig.SequenceCounter}", cut.Output + cut.Error);
        Assert.DoesNotContain("malformed", cut.Output + cut.Error);
        CliRun next = Run("t.apdu", "--mode", "batch");
        Assert.True(next.ExitCode == 0, next.Output + next.Error);
        Assert.Contains("OK: batch run", next.Output);
    }

    [Fact]
    public void Run_BatchInterrupted_TraceWithoutData_AssumesThePlannedCounter_NextBatchWorks()
    {
        using var board = new AgentRig(store: new SwOnlyTraceStore());
        Assert.Equal(0, Run(board, "t.apdu").ExitCode);
        board.Transport.BreakAt = board.Transport.Commands + 6;

        CliRun cut = Run(board, "t.apdu", "--mode", "batch");

        Assert.Equal(1, cut.ExitCode);
        Assert.Contains($"the SD's sequence counter is now {board.SequenceCounter}", cut.Output + cut.Error);
        Assert.DoesNotContain("malformed", cut.Output + cut.Error);
        CliRun next = Run(board, "t.apdu", "--mode", "batch");
        Assert.True(next.ExitCode == 0, next.Output + next.Error);
    }

    [Fact]
    public void Run_WrongKeys_Interactive_Exit1AtCardCryptogram()
    {
        AgentRig.WriteKeys(_dir.File("wrong.json"), 0x01, 0x40);
        CliRun run = Run("t.apdu", "--keys", _dir.File("wrong.json"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("card cryptogram check failed", run.Output);
    }

    [Fact]
    public void Run_WrongKeys_Batch_Exit1WithExternalAuthenticateRefused()
    {
        AgentRig.WriteKeys(_dir.File("wrong.json"), 0x01, 0x40);
        CliRun run = Run("t.apdu", "--keys", _dir.File("wrong.json"), "--mode", "batch", "--counter", (_rig.SequenceCounter + 1).ToString());
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"\[2/5\] 84823300\.\. -> (6982|6300) FAILED", run.Output);
        Assert.Contains("does not hold these keys", run.Output);
    }

    [Fact]
    public void Run_StepMismatch_Exit1NamesTheStep()
    {
        File.WriteAllText(_dir.File("m.apdu"), TenantBackendTests.Script(tag: 0xDF21));
        CliRun run = Run("m.apdu");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("step 4 (m.apdu:5) answered 6A88, expected 9000", run.Output);
    }

    [Fact]
    public void Run_MalformedKeyFile_Exit2WithFileAndLine()
    {
        File.WriteAllText(_dir.File("bad.json"), "{\n  \"kvn\": \"01\",\n  \"enc\": \"0011\"\n  \"mac\": \"00\"\n}");
        AgentRig.WriteKeys(_dir.File("short.json"), 0x01, 0x10);
        File.WriteAllText(_dir.File("short.json"), File.ReadAllText(_dir.File("short.json")).Replace("\"enc\": \"", "\"enc\": \"AB"));
        CliRun run = Run("t.apdu", "--keys", _dir.File("bad.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bad.json:4:", run.Error);
        CliRun odd = Run("t.apdu", "--keys", _dir.File("short.json"));
        Assert.Equal(2, odd.ExitCode);
        Assert.Contains("short.json:3: \"enc\"", odd.Error);
    }

    [Fact]
    public void Run_MalformedScript_Exit2WithFileAndLine()
    {
        File.WriteAllText(_dir.File("bad.apdu"), "sd A0000001515350410A\n80E6\n");
        CliRun run = Run("bad.apdu");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bad.apdu:2:", run.Error);
    }

    [Fact]
    public void Run_DryRun_PrintsClearAndWrappedApdus_SendsNothing()
    {
        int commands = _rig.Transport.Commands;
        CliRun run = Run("t.apdu", "--dry-run", "--mode", "batch", "--counter", "7");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(commands, _rig.Transport.Commands);
        Assert.Contains("dry run: 5 APDUs for sequence counter 7", run.Output);
        Assert.Contains("clear:   80500100", run.Output);
        Assert.Contains("wrapped: 84823300", run.Output);
        Assert.Contains("clear:   80E2900006DF2003414243", run.Output);
        Assert.Contains("wrapped: 84E29000", run.Output);
    }

    [Fact]
    public void Help_ListsOptions()
    {
        CliRun run = CliRun.Of("backend", "run", "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string option in new[] { "--broker", "--device", "--tenant", "--keys", "--request-key", "--reset-auth-guard", "--sd", "--mode", "--level", "--s16", "--state", "--counter", "--timeout", "--dry-run" })
        {
            Assert.Contains(option, run.Output);
        }
    }

    [Fact]
    public void TenantKeyFile_RandomContent_OnlyBackendException()
    {
        string path = _dir.File("fuzz.json");
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            File.WriteAllBytes(path, bytes);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                TenantKeyFile.Load(path);
            }
            catch (BackendException e)
            {
                Assert.Equal(2, e.ExitCode);
            }
        }, iter: 500);
    }

    private CliRun Run(string script, params string[] extra) => Run(_rig, script, extra);

    private CliRun Run(AgentRig rig, string script, params string[] extra)
    {
        var args = new List<string>
        {
            "backend", "run", _dir.File(script), "--broker", rig.BrokerUrl, "--device", AgentRig.Device, "--tenant", AgentRig.Tenant,
            "--keys", _dir.File("keys.json"), "--request-key", _dir.File("request-key.json"), "--state", _dir.File("state.json"), "--timeout", "20",
        };
        for (int i = 0; i < extra.Length; i += 2)
        {
            int at = args.IndexOf(extra[i]);
            if (at >= 0 && i + 1 < extra.Length && !extra[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                args[at + 1] = extra[i + 1];
            }
            else
            {
                args.Add(extra[i]);
                if (i + 1 < extra.Length)
                {
                    args.Add(extra[i + 1]);
                }
            }
        }

        return CliRun.Of([.. args]);
    }
}
