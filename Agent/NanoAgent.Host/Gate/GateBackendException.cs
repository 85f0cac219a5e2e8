namespace NanoAgent.Host.Gate;

/// <summary>A gated-data backend command cannot go on; carries the process exit code (2 usage, 3 broker unreachable).</summary>
public sealed class GateBackendException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="exitCode">The exit code.</param>
    /// <param name="message">A sentence for the user.</param>
    public GateBackendException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    /// <summary>Gets the process exit code.</summary>
    public int ExitCode { get; }
}
