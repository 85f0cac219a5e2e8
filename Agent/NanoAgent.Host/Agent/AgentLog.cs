using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;

namespace NanoAgent.Host.Agent;

/// <summary>
/// One log line per relay event, with the tenant and the script id: wraps the relay store (steps: "sending", "answered")
/// and the relay listener (progress, results). Example: <c>[acme] script s1 step 2/3 9000 ok</c>.
/// </summary>
internal sealed class AgentLog(TextWriter output)
{
    private readonly TextWriter _output = TextWriter.Synchronized(output);

    public void Line(string text)
    {
        _output.WriteLine(text);
        _output.Flush();
    }

    public void Line(string tenant, string text) => Line($"[{tenant}] {text}");

    /// <summary>Shows an id as text when it is printable ASCII, else as hex, cut to 8 characters.</summary>
    public static string Id(byte[]? id)
    {
        if (id is null || id.Length == 0)
        {
            return "-";
        }

        bool text = id.All(b => b is >= 0x21 and < 0x7F);
        string shown = text ? System.Text.Encoding.ASCII.GetString(id) : Convert.ToHexString(id).ToLowerInvariant();
        return shown.Length > 16 ? shown[..8] + ".." : shown;
    }

    public static string Describe(ScriptResult result) => result.Outcome switch
    {
        ScriptOutcome.Completed => $"completed, {result.Steps.Length}/{result.StepCount} steps",
        ScriptOutcome.Failed => $"failed at step {result.FailedStep + 1}/{result.StepCount}",
        ScriptOutcome.Rejected => $"rejected: {result.Reason}",
        ScriptOutcome.Interrupted => $"interrupted at step {result.FailedStep + 1}/{result.StepCount}",
        ScriptOutcome.SetupFailed => $"setup failed: {result.SetupSw:X4}",
        ScriptOutcome.StorageFailed => $"stopped at step {result.FailedStep + 1}/{result.StepCount}: the relay store failed",
        _ => result.Outcome.ToString(),
    };

    /// <summary>Logs the step events of a store it passes every call to.</summary>
    internal sealed class Store(IRelayStore inner, AgentLog log) : IRelayStore
    {
        private readonly Dictionary<string, InFlightRun> _runs = new();

        public ulong GetCounter(string tenantId) => inner.GetCounter(tenantId);

        public void SetCounter(string tenantId, ulong counter) => Logged(() => inner.SetCounter(tenantId, counter));

        public int GetAuthFailures(string tenantId) => inner.GetAuthFailures(tenantId);

        public void SetAuthFailures(string tenantId, int failures)
        {
            Logged(() => inner.SetAuthFailures(tenantId, failures));
            if (AuthGuardState.Failures(failures) > 0)
            {
                log.Line($"{tenantId}: {AuthGuardState.Failures(failures)} consecutive failed EXTERNAL AUTHENTICATE(s) on its SD"
                    + (AuthGuardState.IsGranted(failures) ? "; a reset granted one more attempt" : string.Empty));
            }
        }

        public byte[]? FindResult(string tenantId, byte[] scriptId) => inner.FindResult(tenantId, scriptId);

        public void SaveResult(string tenantId, byte[] scriptId, byte[] encodedResult) => Logged(() => inner.SaveResult(tenantId, scriptId, encodedResult));

        public void BeginRun(InFlightRun run)
        {
            Logged(() => inner.BeginRun(run));
            lock (_runs)
            {
                _runs[run.TenantId] = run;
            }

            log.Line(run.TenantId, $"script {Id(run.ScriptId)} started: counter {run.Counter}, "
                + (run.StepCount == 0 ? "interactive" : $"{run.StepCount} steps"));
        }

        public void MarkSending(string tenantId, int index) => Logged(() => inner.MarkSending(tenantId, index));

        public void MarkAnswered(string tenantId, StepResult result)
        {
            Logged(() => inner.MarkAnswered(tenantId, result));
            InFlightRun? run;
            lock (_runs)
            {
                _runs.TryGetValue(tenantId, out run);
            }

            string of = run is null || run.StepCount == 0 ? string.Empty : $"/{run.StepCount}";
            string outcome = result.Outcome == StepOutcome.Passed ? "ok" : "mismatch";
            log.Line(tenantId, $"script {Id(run?.ScriptId)} step {result.Index + 1}{of} {result.Sw:X4} {outcome}");
        }

        public void EndRun(string tenantId)
        {
            Logged(() => inner.EndRun(tenantId));
            lock (_runs)
            {
                _runs.Remove(tenantId);
            }
        }

        public InFlightRun[] Runs() => inner.Runs();

        // A failed write is logged where it happens; the relay answers the tenant "storage error" and stops the request.
        private void Logged(Action write)
        {
            try
            {
                write();
            }
            catch (RelayStoreException e)
            {
                log.Line($"agent: STORAGE ERROR, nothing untraced reaches the SE and tenants are answered 'storage error' until the store works again: {e.Message}");
                throw;
            }
        }
    }

    /// <summary>Logs progress and results, then passes them on.</summary>
    internal sealed class Listener(IRelayListener inner, AgentLog log) : IRelayListener
    {
        public void OnProgress(string tenantId, ScriptProgress progress)
        {
            log.Line(tenantId, $"script {Id(progress.ScriptId)} progress {progress.StepsDone}/{progress.StepCount}");
            inner.OnProgress(tenantId, progress);
        }

        public void OnResult(string tenantId, ScriptResult result)
        {
            log.Line(tenantId, $"script {Id(result.ScriptId)} {Describe(result)}");
            inner.OnResult(tenantId, result);
        }

        public void OnApduResponse(string tenantId, ApduResponse response)
        {
            log.Line(tenantId, $"session {Id(response.ScriptId)} apdu {response.Sequence} "
                + (response.Reason == RejectReason.None ? "answered" : $"rejected: {response.Reason}"));
            inner.OnApduResponse(tenantId, response);
        }
    }
}
