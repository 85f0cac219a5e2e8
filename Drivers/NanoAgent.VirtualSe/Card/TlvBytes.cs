namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// The few BER-TLV writes the card manager needs (BER-TLV as ISO/IEC 7816-4 uses it): one- and two-byte tags, definite lengths.
/// Content is written first, then wrapped in place.
/// </summary>
internal static class TlvBytes
{
    /// <summary>Room to leave before content that will be wrapped: 2 tag bytes + 3 length bytes.</summary>
    public const int HeaderRoom = 5;

    public static int TagSize(int tag) => tag > 0xFF ? 2 : 1;

    public static int LengthSize(int length) => length < 0x80 ? 1 : length <= 0xFF ? 2 : 3;

    public static int Size(int tag, int length) => TagSize(tag) + LengthSize(length) + length;

    public static int WriteHeader(Span<byte> d, int tag, int length)
    {
        int at = 0;
        if (tag > 0xFF)
        {
            d[at++] = (byte)(tag >> 8);
        }

        d[at++] = (byte)tag;
        if (length >= 0x100)
        {
            d[at++] = 0x82;
            d[at++] = (byte)(length >> 8);
        }
        else if (length >= 0x80)
        {
            d[at++] = 0x81;
        }

        d[at++] = (byte)length;
        return at;
    }

    /// <summary>Writes tag, length and value; returns the bytes written.</summary>
    public static int Write(Span<byte> d, int tag, ReadOnlySpan<byte> value)
    {
        int at = WriteHeader(d, tag, value.Length);
        value.CopyTo(d[at..]);
        return at + value.Length;
    }

    /// <summary>Writes a one-byte value.</summary>
    public static int Write(Span<byte> d, int tag, byte value) => Write(d, tag, [value]);

    /// <summary>
    /// Wraps <paramref name="contentLength"/> bytes already written at <see cref="HeaderRoom"/> into a TLV that starts at 0.
    /// </summary>
    public static int Wrap(Span<byte> d, int tag, int contentLength)
    {
        int header = TagSize(tag) + LengthSize(contentLength);
        d.Slice(HeaderRoom, contentLength).CopyTo(d[header..]);
        WriteHeader(d, tag, contentLength);
        return header + contentLength;
    }
}
