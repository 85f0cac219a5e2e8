namespace NanoAgent.Host.Mqtt.Access;

/// <summary>One line of the broker users file: a user name, its role, the role's scope and the password hash.</summary>
public sealed class BrokerUser
{
    /// <summary>The scope of a provisioning user that may serve every device.</summary>
    public const string AnyDevice = "*";

    /// <summary>Creates a user.</summary>
    /// <param name="name">The MQTT user name (with TLS client certificates: the certificate's common name).</param>
    /// <param name="role">The role.</param>
    /// <param name="scope">The device id (agent, provision: or <see cref="AnyDevice"/>) or tenant id (tenant, owner).</param>
    /// <param name="passwordHash">A <see cref="MosquittoPasswordHash"/> string, or null for a user who logs in by client certificate only.</param>
    public BrokerUser(string name, BrokerRole role, string scope, string? passwordHash)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Role = role;
        Scope = scope ?? throw new ArgumentNullException(nameof(scope));
        PasswordHash = passwordHash;
    }

    /// <summary>Gets the user name.</summary>
    public string Name { get; }

    /// <summary>Gets the role.</summary>
    public BrokerRole Role { get; }

    /// <summary>Gets the device or tenant id the role applies to.</summary>
    public string Scope { get; }

    /// <summary>Gets the password hash, or null for a certificate-only user.</summary>
    public string? PasswordHash { get; }

    /// <summary>Returns the user without its hash, for messages.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Name} ({Role.ToString().ToLowerInvariant()} {Scope})";
}
