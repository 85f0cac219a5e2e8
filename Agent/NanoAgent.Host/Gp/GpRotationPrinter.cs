using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;

namespace NanoAgent.Host.Gp;

/// <summary>Prints each step of a key rotation in plain words.</summary>
public sealed class GpRotationPrinter(TextWriter output) : IKeyRotationObserver
{
    /// <inheritdoc />
    public void Step(KeyRotationStep step, bool succeeded, GpOpenStatus openStatus, ushort statusWord)
    {
        string what = step switch
        {
            KeyRotationStep.ProbeNew => "probe new keys",
            KeyRotationStep.ProbeOld => "probe old keys",
            KeyRotationStep.PutKey => "PUT KEY (add new key version)",
            KeyRotationStep.ProveNew => "prove new keys",
            KeyRotationStep.DeleteOld => "DELETE old key version",
            KeyRotationStep.VerifyOldGone => "check old key version is gone",
            _ => "step",
        };
        string detail = step is KeyRotationStep.PutKey or KeyRotationStep.DeleteOld
            ? StatusWordText.Describe(statusWord)
            : GpText.Describe(openStatus);
        output.WriteLine($"step: {what}: {(succeeded ? "ok" : "no")} ({detail})");
    }
}
