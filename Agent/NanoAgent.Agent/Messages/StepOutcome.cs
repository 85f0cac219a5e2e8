namespace NanoAgent.Agent.Messages
{
    /// <summary>What happened to one step of a script.</summary>
    public enum StepOutcome
    {
        /// <summary>The step never reached the SE.</summary>
        NotSent = 0,

        /// <summary>The SE answered with a status word matching the expectation.</summary>
        Passed = 1,

        /// <summary>The SE answered with a status word outside the expectation.</summary>
        SwMismatch = 2,

        /// <summary>The step was handed to the SE but no answer was recorded (reboot or broken link): it may have run.</summary>
        SentUnknown = 3,
    }
}
