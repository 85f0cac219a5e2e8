namespace NanoAgent.Fleet.Store;

/// <summary>The fleet store refused an operation; nothing was changed.</summary>
public sealed class FleetStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">Why.</param>
    /// <param name="message">One line for the user.</param>
    /// <param name="inner">The provider's exception, or null.</param>
    public FleetStoreException(FleetStoreError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>Gets why.</summary>
    public FleetStoreError Error { get; }

    /// <summary>Gets the exit code: 3 for an unreachable server, 1 for an illegal transition, 2 otherwise.</summary>
    public int ExitCode => Error switch
    {
        FleetStoreError.Unreachable => 3,
        FleetStoreError.IllegalTransition => 1,
        _ => 2,
    };
}
