namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// Builds the data of one applet answer. Byte arrays go with the three-byte length <c>82 hh ll</c>, as the chip sends
/// them even for short values (CreateSession answers <c>41 82 00 08</c>, NXP community trace, se05x-facts.md §1); one-
/// and two-byte values go with a one-byte length, since NXP's own parsers read those only in that form (se05x_tlv.c
/// tlvGet_U8, tlvGet_U16).
/// </summary>
internal sealed class Se05xReply
{
    private readonly byte[] _buffer;

    public Se05xReply(int capacity)
    {
        _buffer = new byte[capacity];
    }

    /// <summary>Gets the answer data written so far.</summary>
    public int Length { get; private set; }

    /// <summary>Gets the buffer holding the answer data.</summary>
    public byte[] Buffer => _buffer;

    public void Clear() => Length = 0;

    public void Bytes(int tag, ReadOnlySpan<byte> value)
    {
        _buffer[Length++] = (byte)tag;
        _buffer[Length++] = 0x82;
        _buffer[Length++] = (byte)(value.Length >> 8);
        _buffer[Length++] = (byte)value.Length;
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
    }

    public void Byte(int tag, byte value)
    {
        _buffer[Length++] = (byte)tag;
        _buffer[Length++] = 1;
        _buffer[Length++] = value;
    }

    public void U16(int tag, int value)
    {
        _buffer[Length++] = (byte)tag;
        _buffer[Length++] = 2;
        _buffer[Length++] = (byte)(value >> 8);
        _buffer[Length++] = (byte)value;
    }

    public void Raw(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
    }
}
