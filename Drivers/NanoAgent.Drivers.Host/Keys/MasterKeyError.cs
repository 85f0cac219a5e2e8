namespace NanoAgent.Drivers.Host.Keys;

/// <summary>Why a master key could not be used.</summary>
public enum MasterKeyError
{
    /// <summary>What the user gave is wrong: a missing module, token or key, a wrong PIN, a key that may leave the token.</summary>
    BadInput = 1,

    /// <summary>The token stopped answering (removed, device error) while in use.</summary>
    Unavailable = 2,
}
