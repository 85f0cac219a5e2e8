using System.Collections;
using NanoAgent.Agent.Messages;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// The persisted trace of a script or session that has started: which steps were handed to the SE and which were
    /// answered (with the response data the step asked for). After a reboot it tells "step i was sent, answer unknown"
    /// from "step i completed".
    /// </summary>
    public sealed class InFlightRun
    {
        private readonly ArrayList _answered = new ArrayList();

        /// <summary>Creates a trace.</summary>
        /// <param name="tenantId">The tenant.</param>
        /// <param name="scriptId">The script or session id.</param>
        /// <param name="counter">The request's tenant counter.</param>
        /// <param name="stepCount">The number of steps (0 for an interactive session).</param>
        public InFlightRun(string tenantId, byte[] scriptId, ulong counter, int stepCount)
        {
            TenantId = tenantId;
            ScriptId = scriptId;
            Counter = counter;
            StepCount = stepCount;
            Sending = -1;
        }

        /// <summary>Gets the tenant.</summary>
        public string TenantId { get; }

        /// <summary>Gets the script or session id.</summary>
        public byte[] ScriptId { get; }

        /// <summary>Gets the request's tenant counter.</summary>
        public ulong Counter { get; }

        /// <summary>Gets the number of steps of the script (0 for an interactive session).</summary>
        public int StepCount { get; }

        /// <summary>Gets the index of the step handed to the SE and not answered yet, or -1.</summary>
        public int Sending { get; private set; }

        /// <summary>Gets the number of steps answered.</summary>
        public int AnsweredCount
        {
            get { return _answered.Count; }
        }

        /// <summary>Records that a step is about to be handed to the SE.</summary>
        /// <param name="index">The step index.</param>
        public void MarkSending(int index)
        {
            Sending = index;
        }

        /// <summary>Records a step's answer.</summary>
        /// <param name="result">The step result, kept as given: with its response data when the step asked for it, so an
        /// interrupted report still carries e.g. the INITIALIZE UPDATE answer with the card's sequence counter.</param>
        public void MarkAnswered(StepResult result)
        {
            _answered.Add(result);
            if (Sending == result.Index)
            {
                Sending = -1;
            }
        }

        /// <summary>Returns the step results: every answered step, then the step sent without answer, if any.</summary>
        /// <returns>A new array.</returns>
        public StepResult[] Report()
        {
            int extra = Sending >= 0 ? 1 : 0;
            StepResult[] steps = new StepResult[_answered.Count + extra];
            _answered.CopyTo(steps);
            if (extra == 1)
            {
                steps[steps.Length - 1] = new StepResult(Sending, StepOutcome.SentUnknown, 0, null);
            }

            return steps;
        }
    }
}
