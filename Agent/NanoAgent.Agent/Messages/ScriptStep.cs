namespace NanoAgent.Agent.Messages
{
    /// <summary>One step of a script: a command APDU and what status word counts as success.</summary>
    public sealed class ScriptStep
    {
        /// <summary>Creates a step.</summary>
        /// <param name="command">The command APDU, as the SE receives it (already wrapped by the backend).</param>
        /// <param name="expectedSw">The expected status word.</param>
        /// <param name="swMask">The bits of the status word compared (FFFF: exact match; FF00: SW1 only).</param>
        /// <param name="continueOnFail">Whether the script goes on when the status word does not match.</param>
        /// <param name="returnData">Whether the result carries the response data of this step.</param>
        public ScriptStep(byte[] command, ushort expectedSw, ushort swMask, bool continueOnFail, bool returnData)
        {
            Command = command;
            ExpectedSw = expectedSw;
            SwMask = swMask;
            ContinueOnFail = continueOnFail;
            ReturnData = returnData;
        }

        /// <summary>Gets the command APDU.</summary>
        public byte[] Command { get; }

        /// <summary>Gets the expected status word.</summary>
        public ushort ExpectedSw { get; }

        /// <summary>Gets the mask applied to both the actual and the expected status word before comparing.</summary>
        public ushort SwMask { get; }

        /// <summary>Gets a value indicating whether the script goes on after a mismatch.</summary>
        public bool ContinueOnFail { get; }

        /// <summary>Gets a value indicating whether the response data is reported.</summary>
        public bool ReturnData { get; }

        /// <summary>Returns whether a status word meets this step's expectation.</summary>
        /// <param name="sw">The status word the SE answered.</param>
        /// <returns>True when <c>(sw &amp; mask) == (expected &amp; mask)</c>.</returns>
        public bool Accepts(ushort sw)
        {
            return (sw & SwMask) == (ExpectedSw & SwMask);
        }
    }
}
