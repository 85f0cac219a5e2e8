namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// The TLVs of one applet command's data field, as the applet reads them (AN12413 §4.4; lengths <c>nn</c>, <c>81 nn</c>,
/// <c>82 hh ll</c> as in NXP's se05x_tlv.c): one-byte tags, each at most once, nothing after the last. Anything else is
/// <see cref="Se05xSw.WrongData"/>. Handlers then name the tags they take with <see cref="OnlyTags"/>.
/// </summary>
internal sealed class Se05xTlvs
{
    private readonly int[] _offset = new int[256];
    private readonly int[] _length = new int[256];
    private readonly bool[] _present = new bool[256];
    private byte[] _data = [];

    /// <summary>Gets how many TLVs the data held.</summary>
    public int Count { get; private set; }

    /// <summary>Parses a data field; 0 when well-formed, else the status word.</summary>
    public ushort Parse(byte[] data, int offset, int count)
    {
        Array.Clear(_present);
        Count = 0;
        _data = data;
        int p = offset;
        int end = offset + count;
        while (p < end)
        {
            int tag = data[p++];
            if (p >= end)
            {
                return Se05xSw.WrongData;
            }

            int length = data[p++];
            if (length == 0x81 || length == 0x82)
            {
                int n = length - 0x80;
                if (end - p < n)
                {
                    return Se05xSw.WrongData;
                }

                length = n == 1 ? data[p] : (data[p] << 8) | data[p + 1];
                p += n;
            }
            else if (length > 0x7F)
            {
                return Se05xSw.WrongData;
            }

            if (length > end - p || _present[tag])
            {
                return Se05xSw.WrongData;
            }

            _present[tag] = true;
            _offset[tag] = p;
            _length[tag] = length;
            Count++;
            p += length;
        }

        return 0;
    }

    /// <summary>True when the tag was present.</summary>
    public bool Has(int tag) => _present[tag];

    /// <summary>Gets the value length of a present tag.</summary>
    public int Length(int tag) => _length[tag];

    /// <summary>Gets the value offset of a present tag.</summary>
    public int Offset(int tag) => _offset[tag];

    /// <summary>Copies a present tag's value.</summary>
    public byte[] Value(int tag) => _data.AsSpan(_offset[tag], _length[tag]).ToArray();

    /// <summary>Gets a present tag's value as a span.</summary>
    public ReadOnlySpan<byte> Span(int tag) => _data.AsSpan(_offset[tag], _length[tag]);

    /// <summary>True when only the given tags are present (an unexpected tag is wrong data).</summary>
    public bool OnlyTags(params int[] allowed)
    {
        int seen = 0;
        foreach (int tag in allowed)
        {
            if (_present[tag])
            {
                seen++;
            }
        }

        return seen == Count;
    }

    /// <summary>Takes a present tag out of the set once its caller has checked it, so handlers need not name it.</summary>
    public void Consume(int tag)
    {
        if (_present[tag])
        {
            _present[tag] = false;
            Count--;
        }
    }

    /// <summary>Reads a present tag of exactly <paramref name="size"/> bytes (1 to 4) as a big-endian number.</summary>
    public bool TryNumber(int tag, int size, out uint value)
    {
        value = 0;
        if (!_present[tag] || _length[tag] != size)
        {
            return false;
        }

        for (int i = 0; i < size; i++)
        {
            value = (value << 8) | _data[_offset[tag] + i];
        }

        return true;
    }
}
