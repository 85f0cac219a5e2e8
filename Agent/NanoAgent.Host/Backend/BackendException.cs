using NanoAgent.Host.Common;
namespace NanoAgent.Host.Backend;

/// <summary>A backend run that could not go on: bad input files, no broker, no answer, refused session. Carries the exit code.</summary>
public sealed class BackendException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="exitCode">The process exit code this failure maps to (see Cli/ExitCodes).</param>
    /// <param name="message">A sentence a person can act on.</param>
    public BackendException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>Gets the exit code: 1 failed, 2 usage (bad file or option), 3 device or broker unreachable.</summary>
    public int ExitCode { get; }
}
