using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;

namespace NanoAgent.Host.Tests.Backend;

/// <summary>A relay store whose trace keeps status words only, as a board's flash trace read back after a reboot does.</summary>
internal sealed class SwOnlyTraceStore : IRelayStore
{
    private readonly InMemoryRelayStore _inner = new();

    public ulong GetCounter(string tenantId) => _inner.GetCounter(tenantId);

    public void SetCounter(string tenantId, ulong counter) => _inner.SetCounter(tenantId, counter);

    public int GetAuthFailures(string tenantId) => _inner.GetAuthFailures(tenantId);

    public void SetAuthFailures(string tenantId, int failures) => _inner.SetAuthFailures(tenantId, failures);

    public byte[] FindResult(string tenantId, byte[] scriptId) => _inner.FindResult(tenantId, scriptId);

    public void SaveResult(string tenantId, byte[] scriptId, byte[] encodedResult) => _inner.SaveResult(tenantId, scriptId, encodedResult);

    public void BeginRun(InFlightRun run) => _inner.BeginRun(run);

    public void MarkSending(string tenantId, int index) => _inner.MarkSending(tenantId, index);

    public void MarkAnswered(string tenantId, StepResult result) =>
        _inner.MarkAnswered(tenantId, new StepResult(result.Index, result.Outcome, result.Sw, null));

    public void EndRun(string tenantId) => _inner.EndRun(tenantId);

    public InFlightRun[] Runs() => _inner.Runs();
}
