using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;

namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>
/// A relay store that fails its Nth write (1-based; 0: never) with <see cref="RelayStoreException"/>, or every write from
/// the Nth on when <see cref="Broken"/> is set, leaving its contents as before the failed write, as the real stores promise.
/// Every call that reaches the inner store is logged, so a test can tell what was durable when each APDU went out.
/// </summary>
public sealed class FailingRelayStore(IRelayStore inner, int failAt = 0) : IRelayStore
{
    private int _writes;

    public int FailAt { get; set; } = failAt;

    public bool Broken { get; set; }

    public int Writes => _writes;

    public List<string> Log { get; } = [];

    public ulong GetCounter(string tenantId) => inner.GetCounter(tenantId);

    public byte[]? FindResult(string tenantId, byte[] scriptId) => inner.FindResult(tenantId, scriptId);

    public InFlightRun[] Runs() => inner.Runs();

    public void SetCounter(string tenantId, ulong counter) => Write($"counter {counter}", () => inner.SetCounter(tenantId, counter));

    public int GetAuthFailures(string tenantId) => inner.GetAuthFailures(tenantId);

    public void SetAuthFailures(string tenantId, int failures) => Write($"auth failures {failures}", () => inner.SetAuthFailures(tenantId, failures));

    public void SaveResult(string tenantId, byte[] scriptId, byte[] encodedResult) => Write("result", () => inner.SaveResult(tenantId, scriptId, encodedResult));

    public void BeginRun(InFlightRun run) => Write("begin", () => inner.BeginRun(run));

    public void MarkSending(string tenantId, int index) => Write($"sending {index}", () => inner.MarkSending(tenantId, index));

    public void MarkAnswered(string tenantId, StepResult result) => Write($"answered {result.Index}", () => inner.MarkAnswered(tenantId, result));

    public void EndRun(string tenantId) => Write("end", () => inner.EndRun(tenantId));

    private void Write(string what, Action write)
    {
        _writes++;
        if (FailAt > 0 && (_writes == FailAt || (Broken && _writes > FailAt)))
        {
            Log.Add("FAILED " + what);
            throw new RelayStoreException(RelayStoreError.WriteFailed, $"simulated failure of write {_writes} ({what})");
        }

        write();
        Log.Add(what);
    }
}
