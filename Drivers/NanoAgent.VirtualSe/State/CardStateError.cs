namespace NanoAgent.VirtualSe.State;

/// <summary>Why a card state file could not be used.</summary>
public enum CardStateError
{
    /// <summary>The file could not be read or written (I/O or permission error).</summary>
    Io = 1,

    /// <summary>The file is not valid JSON for a card state.</summary>
    Corrupt = 2,

    /// <summary>The JSON parsed but breaks a rule of the card model (for example no ISD, or an AID of 3 bytes).</summary>
    Invalid = 3,

    /// <summary>The file was written by a newer, unknown schema version.</summary>
    UnsupportedVersion = 4,
}
