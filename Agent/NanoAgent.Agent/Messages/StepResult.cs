namespace NanoAgent.Agent.Messages
{
    /// <summary>What one step did: its index, the status word and optionally the response data.</summary>
    public sealed class StepResult
    {
        /// <summary>Creates a step result.</summary>
        /// <param name="index">The step index, from 0.</param>
        /// <param name="outcome">What happened.</param>
        /// <param name="sw">The status word (meaningful for <see cref="StepOutcome.Passed"/> and <see cref="StepOutcome.SwMismatch"/>).</param>
        /// <param name="data">The response data without the status word, or null.</param>
        public StepResult(int index, StepOutcome outcome, ushort sw, byte[] data)
        {
            Index = index;
            Outcome = outcome;
            Sw = sw;
            Data = data;
        }

        /// <summary>Gets the step index.</summary>
        public int Index { get; }

        /// <summary>Gets the outcome.</summary>
        public StepOutcome Outcome { get; }

        /// <summary>Gets the status word; 0 when the SE's answer is not known.</summary>
        public ushort Sw { get; }

        /// <summary>Gets the response data, or null when not asked for.</summary>
        public byte[] Data { get; }

        /// <summary>Gets a value indicating whether the SE answered this step.</summary>
        public bool HasSw
        {
            get { return Outcome == StepOutcome.Passed || Outcome == StepOutcome.SwMismatch; }
        }
    }
}
