namespace NanoAgent.Drivers.Host.Keys;

/// <summary>A text is not a valid PKCS #11 URI (RFC 7512). The message says why; it never quotes a PIN.</summary>
public sealed class Pkcs11UriException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the URI is refused, e.g. "the attribute 'token' is given twice".</param>
    public Pkcs11UriException(string message)
        : base(message)
    {
    }
}
