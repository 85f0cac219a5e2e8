namespace NanoAgent.Drivers.Host.Keys;

/// <summary>Why the platform key file could not be used.</summary>
public enum PlatformKeyStoreError
{
    /// <summary>The key file does not exist.</summary>
    NotFound = 1,

    /// <summary>The key file is not the expected JSON: missing field, bad hex, wrong key length or key version.</summary>
    Malformed = 2,

    /// <summary>The key file can be read by group or others (as ssh does, such a file is refused: chmod 600 it).</summary>
    InsecurePermissions = 3,

    /// <summary>A new key file was asked for but one already exists (never overwritten: its keys may be in a card).</summary>
    AlreadyExists = 4,

    /// <summary>The file or its folder could not be read or written.</summary>
    IoFailed = 5,
}
