namespace NanoAgent.Drivers.Host.Keys;

/// <summary>A master key (in a PKCS #11 token) cannot be used. The message is one line that says what to fix, never a PIN or key.</summary>
public sealed class MasterKeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The cause.</param>
    /// <param name="message">One line naming the token, the key or the module, and the fix.</param>
    /// <param name="inner">The PKCS #11 error, if any.</param>
    public MasterKeyException(MasterKeyError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>Gets the cause.</summary>
    public MasterKeyError Error { get; }
}
