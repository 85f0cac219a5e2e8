namespace NanoAgent.Host.Provision;

/// <summary>A provisioning bundle was refused or could not be built; <see cref="Error"/> says why.</summary>
public sealed class ProvisionBundleException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The reason code.</param>
    /// <param name="message">The reason in plain words.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ProvisionBundleException(ProvisionBundleError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    /// <summary>Gets the reason code.</summary>
    public ProvisionBundleError Error { get; }
}
