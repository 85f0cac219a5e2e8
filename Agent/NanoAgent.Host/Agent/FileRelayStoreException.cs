using NanoAgent.Agent.Relay;

namespace NanoAgent.Host.Agent;

/// <summary>The relay store file cannot be opened, read, parsed or written. The message names the file; nothing is reset silently.</summary>
public sealed class FileRelayStoreException : RelayStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The cause.</param>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="inner">The cause underneath, or null.</param>
    public FileRelayStoreException(RelayStoreError error, string message, Exception? inner = null)
        : base(error, message, inner!)
    {
    }
}
