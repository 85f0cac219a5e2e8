namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// A parsed command as the card's handlers see it: decoded class, header, data field and the response length the
/// handler may fill (<see cref="MaxResponseLength"/>).
/// </summary>
public readonly ref struct CardCommand
{
    /// <summary>Creates a command.</summary>
    /// <param name="cla">The decoded class byte.</param>
    /// <param name="ins">The instruction byte.</param>
    /// <param name="p1">Parameter 1.</param>
    /// <param name="p2">Parameter 2.</param>
    /// <param name="data">The data field (empty when absent).</param>
    /// <param name="ne">Ne as parsed (0 when Le is absent).</param>
    /// <param name="hasLe">Whether Le is present.</param>
    /// <param name="isExtended">Whether the extended length encoding is used.</param>
    public CardCommand(ClassByte cla, byte ins, byte p1, byte p2, ReadOnlySpan<byte> data, int ne, bool hasLe, bool isExtended)
    {
        Class = cla;
        Ins = ins;
        P1 = p1;
        P2 = p2;
        Data = data;
        Ne = ne;
        HasLe = hasLe;
        IsExtended = isExtended;
    }

    /// <summary>Gets the decoded class byte.</summary>
    public ClassByte Class { get; }

    /// <summary>Gets the logical channel the command arrived on.</summary>
    public int Channel => Class.Channel;

    /// <summary>Gets the instruction byte.</summary>
    public byte Ins { get; }

    /// <summary>Gets parameter 1.</summary>
    public byte P1 { get; }

    /// <summary>Gets parameter 2.</summary>
    public byte P2 { get; }

    /// <summary>Gets P1 and P2 as one big-endian number.</summary>
    public int P1P2 => (P1 << 8) | P2;

    /// <summary>Gets the data field.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Gets Ne as parsed (0 when Le is absent; 256 or 65536 for Le = 00).</summary>
    public int Ne { get; }

    /// <summary>Gets a value indicating whether Le is present.</summary>
    public bool HasLe { get; }

    /// <summary>Gets a value indicating whether the command uses extended lengths.</summary>
    public bool IsExtended { get; }

    /// <summary>
    /// Gets the most response data one answer carries before the rest goes through GET RESPONSE: Ne, or, when Le is
    /// absent, 256 (short) or 65536 (extended), as T=1 cards commonly answer case 3 commands (our documented choice).
    /// Handlers that page (GET STATUS) size their pages by it.
    /// </summary>
    public int MaxResponseLength => HasLe ? Ne : IsExtended ? 65536 : 256;
}
