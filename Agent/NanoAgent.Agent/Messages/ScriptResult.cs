namespace NanoAgent.Agent.Messages
{
    /// <summary>The final report of a script request or interactive session (message E5).</summary>
    public sealed class ScriptResult
    {
        private static readonly StepResult[] NoSteps = new StepResult[0];

        /// <summary>Gets or sets the script id the result answers (may be empty when the request was unreadable).</summary>
        public byte[] ScriptId { get; set; }

        /// <summary>Gets or sets the tenant id.</summary>
        public string TenantId { get; set; }

        /// <summary>Gets or sets the request's tenant counter.</summary>
        public ulong Counter { get; set; }

        /// <summary>Gets or sets the outcome.</summary>
        public ScriptOutcome Outcome { get; set; }

        /// <summary>Gets or sets why it was rejected (<see cref="RejectReason.None"/> unless <see cref="Outcome"/> is rejected).</summary>
        public RejectReason Reason { get; set; }

        /// <summary>Gets or sets the index of the step that failed or was interrupted, or -1.</summary>
        public int FailedStep { get; set; } = -1;

        /// <summary>Gets or sets the number of steps in the request (interactive: APDUs forwarded).</summary>
        public int StepCount { get; set; }

        /// <summary>Gets or sets the status word of the failed channel opening or SD selection, or 0.</summary>
        public ushort SetupSw { get; set; }

        /// <summary>Gets or sets the results of the steps that were attempted, in order.</summary>
        public StepResult[] Steps { get; set; } = NoSteps;

        /// <summary>Creates a rejection.</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="scriptId">The script id, or null when unknown.</param>
        /// <param name="counter">The request's counter.</param>
        /// <param name="reason">Why.</param>
        /// <returns>The result.</returns>
        public static ScriptResult Rejection(string tenantId, byte[] scriptId, ulong counter, RejectReason reason)
        {
            ScriptResult result = new ScriptResult();
            result.TenantId = tenantId;
            result.ScriptId = scriptId ?? new byte[0];
            result.Counter = counter;
            result.Outcome = ScriptOutcome.Rejected;
            result.Reason = reason;
            return result;
        }
    }
}
