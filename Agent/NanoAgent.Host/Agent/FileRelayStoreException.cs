namespace NanoAgent.Host.Agent;

/// <summary>The relay store file cannot be read, parsed or written. The message names the file; nothing is reset silently.</summary>
public sealed class FileRelayStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="inner">The cause, or null.</param>
    public FileRelayStoreException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
