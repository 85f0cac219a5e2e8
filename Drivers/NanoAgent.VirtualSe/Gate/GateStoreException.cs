namespace NanoAgent.VirtualSe.Gate;

/// <summary>The gate's persistent memory could not be read or written.</summary>
public sealed class GateStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="inner">The cause, if any.</param>
    public GateStoreException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
