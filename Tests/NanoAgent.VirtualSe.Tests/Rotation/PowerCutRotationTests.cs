using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.VirtualSe.Tests.Rotation;

/// <summary>
/// Issue 4 item 5: key rotation cannot brick the device. Power is cut before and after every APDU of a rotation (after:
/// the card acts, the answer is lost, PUT KEY and DELETE included); the SE restarts from its state file, one of the two
/// key sets must open, and re-running the rotation finishes it.
/// </summary>
public sealed class PowerCutRotationTests : IDisposable
{
    private static readonly Scp03StaticKeys OldKeys = RotationRig.Keys(0x01, 0x10);
    private static readonly Scp03StaticKeys NewKeys = RotationRig.Keys(0x02, 0x40);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rotation-" + Guid.NewGuid().ToString("N"));

    public PowerCutRotationTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Rotate_WithoutFaults_AddsProvesThenDeletes()
    {
        using var rig = Provisioned("clean.json");
        var steps = new StepLog();
        KeyRotationResult result = new KeyRotation(rig.Session, 0x33, 8, steps).Run(RotationRig.Ssd, OldKeys, NewKeys);

        Assert.Equal(KeyRotationOutcome.Completed, result.Outcome);
        Assert.True(result.KeySetAdded);
        Assert.True(result.NewKeysWork);
        Assert.False(result.OldKeysWork);
        Assert.Equal(
            "ProbeNew:KeyVersionNotFound ProbeOld:Opened PutKey:ok ProveNew:Opened DeleteOld:ok VerifyOldGone:KeyVersionNotFound ProbeNew:Opened",
            steps.ToString());
        Assert.Equal(GpOpenStatus.Opened, rig.Probe(RotationRig.Ssd, NewKeys));
        Assert.Equal(GpOpenStatus.KeyVersionNotFound, rig.Probe(RotationRig.Ssd, OldKeys));
        Assert.Equal(new byte[] { 0x02 }, rig.Se.Card.State.Find(RotationRig.Ssd)!.Domain!.KeySets.Select(k => k.KeyVersion));

        // Running again changes nothing and says so.
        Assert.Equal(KeyRotationOutcome.Completed, new KeyRotation(rig.Session, 0x33, 8, null!).Run(RotationRig.Ssd, OldKeys, NewKeys).Outcome);
    }

    [Fact]
    public void Rotate_CutPowerBeforeAndAfterEveryApdu_OneKeySetAlwaysOpens_AndRerunCompletes()
    {
        int total;
        using (var rig = Provisioned("count.json"))
        {
            int before = rig.Faults.Count;
            new KeyRotation(rig.Session, 0x33, 8, null!).Run(RotationRig.Ssd, OldKeys, NewKeys);
            total = rig.Faults.Count - before;
        }

        Assert.True(total >= 12, $"a rotation takes at least 12 APDUs, saw {total}");
        byte[] provisioned = File.ReadAllBytes(Path.Combine(_dir, "baseline.json"));
        for (int cut = 0; cut < total; cut++)
        {
            foreach (bool afterSend in new[] { false, true })
            {
                string path = Path.Combine(_dir, $"cut-{cut}-{afterSend}.json");
                File.WriteAllBytes(path, provisioned);
                using var rig = new RotationRig(path);
                rig.Faults.CutAt = rig.Faults.Count + cut;
                rig.Faults.CutAfterSend = afterSend;
                Assert.Throws<PowerCutException>(() => new KeyRotation(rig.Session, 0x33, 8, null!).Run(RotationRig.Ssd, OldKeys, NewKeys));

                rig.Restart();
                GpOpenStatus oldStatus = rig.Probe(RotationRig.Ssd, OldKeys);
                GpOpenStatus newStatus = rig.Probe(RotationRig.Ssd, NewKeys);
                Assert.True(
                    oldStatus == GpOpenStatus.Opened || newStatus == GpOpenStatus.Opened,
                    $"cut at APDU {cut} ({(afterSend ? "answer lost" : "never sent")}): old {oldStatus}, new {newStatus}");

                KeyRotationResult result = new KeyRotation(rig.Session, 0x33, 8, null!).Run(RotationRig.Ssd, OldKeys, NewKeys);
                Assert.Equal(KeyRotationOutcome.Completed, result.Outcome);
                Assert.Equal(GpOpenStatus.Opened, rig.Probe(RotationRig.Ssd, NewKeys));
                Assert.Equal(GpOpenStatus.KeyVersionNotFound, rig.Probe(RotationRig.Ssd, OldKeys));
                Assert.All(rig.Se.Card.State.Find(RotationRig.Ssd)!.Domain!.KeySets, k => Assert.Equal(0, k.FailedAuthentications));
            }
        }
    }

    [Fact]
    public void Rotate_SameKeyVersion_SendsNothing()
    {
        using var rig = Provisioned("same.json");
        int before = rig.Faults.Count;
        KeyRotationResult result = new KeyRotation(rig.Session, 0x33, 8, null!).Run(RotationRig.Ssd, OldKeys, RotationRig.Keys(0x01, 0x70));
        Assert.Equal(KeyRotationOutcome.SameKeyVersion, result.Outcome);
        Assert.Equal(before, rig.Faults.Count);
    }

    [Fact]
    public void Rotate_WrongOldKeys_ChangesNothingAndCountsNoFailure()
    {
        using var rig = Provisioned("wrong.json");
        byte[] before = File.ReadAllBytes(rig.StatePath);
        KeyRotationResult result = new KeyRotation(rig.Session, 0x33, 8, null!).Run(RotationRig.Ssd, RotationRig.Keys(0x01, 0x77), NewKeys);

        Assert.Equal(KeyRotationOutcome.NoWorkingKeys, result.Outcome);
        Assert.Equal(GpOpenStatus.WrongKeys, result.OldStatus);
        Assert.Equal(GpOpenStatus.KeyVersionNotFound, result.NewStatus);
        Assert.Equal(StateFiles.WithoutCounters(before), StateFiles.WithoutCounters(File.ReadAllBytes(rig.StatePath)));
        Assert.Equal(GpOpenStatus.Opened, rig.Probe(RotationRig.Ssd, OldKeys));
    }

    [Fact]
    public void Rotate_NewKeyVersionTakenByOtherKeys_RefusesToTouchIt()
    {
        using var rig = Provisioned("taken.json");
        Assert.Equal(KeyRotationOutcome.Completed, new KeyRotation(rig.Session, 0x33, 8, null!).Run(RotationRig.Ssd, OldKeys, NewKeys).Outcome);
        KeyRotationResult result = new KeyRotation(rig.Session, 0x33, 8, null!).Run(RotationRig.Ssd, NewKeys, RotationRig.Keys(0x02, 0x55));
        Assert.Equal(KeyRotationOutcome.SameKeyVersion, result.Outcome);

        result = new KeyRotation(rig.Session, 0x33, 8, null!).Run(RotationRig.Ssd, RotationRig.Keys(0x03, 0x60), RotationRig.Keys(0x02, 0x55));
        Assert.Equal(KeyRotationOutcome.NewKeyVersionUnusable, result.Outcome);
        Assert.Equal(GpOpenStatus.WrongKeys, result.NewStatus);
        Assert.Equal(GpOpenStatus.Opened, rig.Probe(RotationRig.Ssd, NewKeys));
    }

    private RotationRig Provisioned(string name)
    {
        string baseline = Path.Combine(_dir, "baseline.json");
        if (!File.Exists(baseline))
        {
            using var first = new RotationRig(baseline);
            first.ProvisionSsd(OldKeys);
        }

        string path = Path.Combine(_dir, name);
        File.Copy(baseline, path);
        return new RotationRig(path);
    }

    private sealed class StepLog : IKeyRotationObserver
    {
        private readonly List<string> _steps = [];

        public void Step(KeyRotationStep step, bool succeeded, GpOpenStatus openStatus, ushort statusWord) =>
            _steps.Add(step is KeyRotationStep.PutKey or KeyRotationStep.DeleteOld
                ? $"{step}:{(succeeded ? "ok" : statusWord.ToString("X4"))}"
                : $"{step}:{openStatus}");

        public override string ToString() => string.Join(" ", _steps);
    }
}
