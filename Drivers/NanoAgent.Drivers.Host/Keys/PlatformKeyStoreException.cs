namespace NanoAgent.Drivers.Host.Keys;

/// <summary>
/// The platform key file is missing, malformed, too open or unreadable. Messages name the file and the fix, never a key byte.
/// </summary>
public sealed class PlatformKeyStoreException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The cause.</param>
    /// <param name="message">A message that says what to do; never key material.</param>
    /// <param name="inner">The underlying I/O exception, if any (never a JSON exception, which could quote the file).</param>
    public PlatformKeyStoreException(PlatformKeyStoreError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>Gets the cause.</summary>
    public PlatformKeyStoreError Error { get; }
}
