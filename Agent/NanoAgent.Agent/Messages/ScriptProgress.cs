namespace NanoAgent.Agent.Messages
{
    /// <summary>Progress of a running script (message E4).</summary>
    public sealed class ScriptProgress
    {
        /// <summary>Gets or sets the script id.</summary>
        public byte[] ScriptId { get; set; }

        /// <summary>Gets or sets the number of steps answered so far.</summary>
        public int StepsDone { get; set; }

        /// <summary>Gets or sets the number of steps in the script.</summary>
        public int StepCount { get; set; }

        /// <summary>Gets or sets the status word of the last step answered.</summary>
        public ushort LastSw { get; set; }
    }
}
