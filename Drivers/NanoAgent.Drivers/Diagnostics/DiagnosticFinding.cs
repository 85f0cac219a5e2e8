namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>One result of the wiring diagnostics: which check, what it found, how much it matters, in a plain sentence.</summary>
    public sealed class DiagnosticFinding
    {
        /// <summary>Creates a finding.</summary>
        /// <param name="check">The check that made it: "scan", "identify", "reset", "echo" or "sweep".</param>
        /// <param name="code">What was found.</param>
        /// <param name="severity">How much it matters.</param>
        /// <param name="message">A sentence a technician can act on.</param>
        public DiagnosticFinding(string check, DiagnosticCode code, DiagnosticSeverity severity, string message)
        {
            Check = check;
            Code = code;
            Severity = severity;
            Message = message;
        }

        /// <summary>Gets the check that made the finding.</summary>
        public string Check { get; }

        /// <summary>Gets what was found.</summary>
        public DiagnosticCode Code { get; }

        /// <summary>Gets how much it matters.</summary>
        public DiagnosticSeverity Severity { get; }

        /// <summary>Gets the sentence.</summary>
        public string Message { get; }
    }
}
