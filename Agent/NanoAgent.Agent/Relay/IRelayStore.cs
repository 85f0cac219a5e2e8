namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// What the relay keeps across reboots: the last accepted counter per tenant, the EXTERNAL AUTHENTICATE failures per tenant, the results of finished scripts by id
    /// (bounded: the last N per tenant) and the trace of the run in flight. A device implementation writes flash; each
    /// call returns once the change is durable. Implementations are used under the relay's lock.
    /// </summary>
    public interface IRelayStore
    {
        /// <summary>Returns the last accepted counter of a tenant.</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <returns>The counter, or 0 when none was accepted yet (the first valid counter is 1).</returns>
        ulong GetCounter(string tenantId);

        /// <summary>Records an accepted counter.</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="counter">The counter.</param>
        void SetCounter(string tenantId, ulong counter);

        /// <summary>Returns the EXTERNAL AUTHENTICATE guard's number of a tenant's SD (docs/protocol.md §4.5): the consecutive
        /// failures, and whether a reset granted an attempt (<see cref="AuthGuardState"/>).</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <returns>The number, 0 when none.</returns>
        int GetAuthFailures(string tenantId);

        /// <summary>Records the EXTERNAL AUTHENTICATE guard's number of a tenant's SD (<see cref="AuthGuardState"/>).</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="failures">The number (0 clears it); kept as it is.</param>
        void SetAuthFailures(string tenantId, int failures);

        /// <summary>Finds the stored result of a finished script.</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="scriptId">The script id.</param>
        /// <returns>The encoded result message (E5), or null.</returns>
        byte[] FindResult(string tenantId, byte[] scriptId);

        /// <summary>Stores the result of a finished script, dropping the tenant's oldest when over the bound.</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="scriptId">The script id.</param>
        /// <param name="encodedResult">The encoded result message (E5).</param>
        void SaveResult(string tenantId, byte[] scriptId, byte[] encodedResult);

        /// <summary>Starts the trace of a run, replacing any trace of the tenant.</summary>
        /// <param name="run">The new, empty trace.</param>
        void BeginRun(InFlightRun run);

        /// <summary>Records that a step is about to be handed to the SE (before any byte is sent).</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="index">The step index.</param>
        void MarkSending(string tenantId, int index);

        /// <summary>Records a step's answer.</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="result">The step result.</param>
        void MarkAnswered(string tenantId, Messages.StepResult result);

        /// <summary>Ends the trace of a tenant's run.</summary>
        /// <param name="tenantId">The tenant.</param>
        void EndRun(string tenantId);

        /// <summary>Returns the traces of all runs in flight (after a reboot: the interrupted ones).</summary>
        /// <returns>A new array, possibly empty.</returns>
        InFlightRun[] Runs();
    }
}
