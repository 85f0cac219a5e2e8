namespace NanoAgent.VirtualSe.Gate;

/// <summary>
/// What one gate instance keeps in the SE's persistent memory: its owner, keys and the two monotonic counters.
/// Plain data, saved as a whole by an <see cref="IGateStore"/>; the applet never changes a saved record in place.
/// </summary>
public sealed class GateRecord
{
    /// <summary>Gets or sets the instance AID (upper-case hex).</summary>
    public string Aid { get; set; } = string.Empty;

    /// <summary>Gets or sets the AID (hex) of the security domain that keyed it; keys of another owner are not used.</summary>
    public string Owner { get; set; } = string.Empty;

    /// <summary>Gets or sets the AES-128 CMAC key, or null before keying.</summary>
    public byte[]? MacKey { get; set; }

    /// <summary>Gets or sets the ECDSA P-256 private key (PKCS#8), or null when none was generated.</summary>
    public byte[]? EcPrivateKey { get; set; }

    /// <summary>
    /// Gets or sets the reading counters reserved: every counter released is at most this, and after a card reset the next
    /// reading gets a larger one (<see cref="GateApplet.ReadingCounterBlock"/> per save).
    /// </summary>
    public ulong ReadingCounter { get; set; }

    /// <summary>Gets or sets the last command counter accepted; VERIFY COMMAND needs a larger one.</summary>
    public ulong CommandCounter { get; set; }

    /// <summary>Makes an independent copy (the applet changes copies and saves them).</summary>
    /// <returns>The copy.</returns>
    public GateRecord Clone() => new()
    {
        Aid = Aid,
        Owner = Owner,
        MacKey = MacKey?.ToArray(),
        EcPrivateKey = EcPrivateKey?.ToArray(),
        ReadingCounter = ReadingCounter,
        CommandCounter = CommandCounter,
    };

    /// <inheritdoc />
    public override string ToString() =>
        $"gate {Aid} owner {Owner} mac-key {(MacKey is null ? "none" : "set")} ec {(EcPrivateKey is null ? "none" : "set")} " +
        $"reading# {ReadingCounter} command# {CommandCounter}";
}
