namespace NanoAgent.Agent.Messages
{
    /// <summary>The final outcome of a script request or interactive session.</summary>
    public enum ScriptOutcome
    {
        /// <summary>Every step ran and matched (steps marked continue-on-fail may have mismatched).</summary>
        Completed = 0,

        /// <summary>A step's status word did not match; the script stopped there (see the failed step index).</summary>
        Failed = 1,

        /// <summary>Refused before any byte reached the SE; see the reject reason.</summary>
        Rejected = 2,

        /// <summary>The agent rebooted or lost the SE link mid-script; the step results say exactly what reached the SE.</summary>
        Interrupted = 3,

        /// <summary>Opening the session's logical channel or selecting the tenant's SD on it failed; no step ran (see the setup SW).</summary>
        SetupFailed = 4,

        /// <summary>An interactive session was closed by the agent after its idle timeout.</summary>
        IdleTimeout = 5,

        /// <summary>
        /// The relay could not durably record a step (its store failed) and stopped: the step at the failed index was not
        /// sent (or, when its answer could not be recorded, it ran and its answer is in the step results); later steps never
        /// reached the SE. The counter stays consumed.
        /// </summary>
        StorageFailed = 0x10,
    }
}
