using NanoAgent.VirtualSe.Scp03;
using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// One applet session (AN12413 §3.6; se05x-facts.md §5): made by CreateSession for a UserID or AESKey authentication
/// object, authenticated inside ProcessSessionCmd (VerifySessionUserID, or SCP03 INITIALIZE UPDATE KVN 00 and EXTERNAL
/// AUTHENTICATE with the AESKey value as ENC, MAC and DEK), transient: gone at CloseSession, deselect or reset.
/// The default session (no ProcessSessionCmd) is <see cref="Default"/>, authentication object 00000000.
/// </summary>
internal sealed class Se05xAppletSession
{
    private Se05xAppletSession(byte[] id, uint authId, Se05xObjectType authType, bool authenticated)
    {
        Id = id;
        AuthId = authId;
        AuthType = authType;
        Authenticated = authenticated;
    }

    /// <summary>Gets the default session: authentication object 00000000, nothing to authenticate.</summary>
    public static Se05xAppletSession Default { get; } = new([], 0, 0, true);

    /// <summary>Gets the 8-byte session identifier.</summary>
    public byte[] Id { get; }

    /// <summary>Gets the authentication object.</summary>
    public uint AuthId { get; }

    /// <summary>Gets the type of the authentication object (UserID or AES).</summary>
    public Se05xObjectType AuthType { get; }

    /// <summary>Gets or sets a value indicating whether the session is authenticated.</summary>
    public bool Authenticated { get; set; }

    /// <summary>Gets or sets the SCP03 card side of an AESKey session.</summary>
    public Scp03CardSession? Scp { get; set; }

    /// <summary>Gets a value indicating whether this is the default session.</summary>
    public bool IsDefault => Id.Length == 0;

    /// <summary>Gets a value indicating whether commands arrive with C-MAC and C-DECRYPTION (REQUIRE_SM is met).</summary>
    public bool SecureMessaging => Authenticated && Scp is { State: Scp03CardState.Open } s && (s.SecurityLevel & 0x03) == 0x03;

    /// <summary>Creates a session for an authentication object.</summary>
    public static Se05xAppletSession Create(byte[] id, Se05xObject auth) => new(id, auth.Id, auth.Type, false);
}
