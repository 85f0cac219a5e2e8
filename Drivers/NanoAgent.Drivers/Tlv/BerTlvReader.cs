namespace NanoAgent.Drivers.Tlv
{
    /// <summary>
    /// Walks the BER-TLV data objects at one level of a caller's buffer without copying or allocating
    /// (ISO/IEC 8825-1 as profiled by ISO/IEC 7816-4 §5.2.2 and GlobalPlatform): tags of one to three bytes,
    /// lengths in short form or long form 81, 82, 83. Read the children of a constructed object with
    /// <see cref="OpenValue"/>. A mutable struct: keep it in a local variable.
    /// </summary>
    public struct BerTlvReader
    {
        private readonly byte[] _buffer;
        private readonly int _end;
        private int _next;

        /// <summary>Creates a reader over a range holding zero or more data objects.</summary>
        /// <param name="buffer">Buffer holding the data.</param>
        /// <param name="offset">First byte of the first data object.</param>
        /// <param name="count">Length of the range.</param>
        /// <exception cref="TlvException"><see cref="TlvError.InvalidRange"/> when the range lies outside the buffer.</exception>
        public BerTlvReader(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new TlvException(TlvError.InvalidRange, "The TLV range lies outside the buffer.");
            }

            _buffer = buffer;
            _next = offset;
            _end = offset + count;
            Tag = 0;
            TagLength = 0;
            Offset = 0;
            ValueOffset = 0;
            ValueLength = 0;
        }

        /// <summary>Gets the tag of the current object, its bytes big-endian (for example 0x6F, 0x9F65, 0xDF8101).</summary>
        public int Tag { get; private set; }

        /// <summary>Gets the number of tag bytes of the current object (1 to 3).</summary>
        public int TagLength { get; private set; }

        /// <summary>Gets the offset of the current object's first tag byte.</summary>
        public int Offset { get; private set; }

        /// <summary>Gets the offset of the current object's value.</summary>
        public int ValueOffset { get; private set; }

        /// <summary>Gets the length of the current object's value.</summary>
        public int ValueLength { get; private set; }

        /// <summary>Gets the length of the current object: tag, length and value.</summary>
        public int TotalLength
        {
            get { return ValueOffset + ValueLength - Offset; }
        }

        /// <summary>Gets a value indicating whether the current object is constructed (bit 6 of its first tag byte, X.690 §8.1.2.5).</summary>
        public bool IsConstructed
        {
            get { return TagLength > 0 && ((Tag >> (8 * (TagLength - 1))) & 0x20) != 0; }
        }

        /// <summary>Gets a value indicating whether another object follows the current one at this level.</summary>
        public bool HasMore
        {
            get { return _next < _end; }
        }

        /// <summary>Moves to the next data object at this level.</summary>
        /// <returns>True when an object was read; false at the end of the range.</returns>
        /// <exception cref="TlvException">
        /// <see cref="TlvError.Truncated"/>, <see cref="TlvError.InvalidTag"/> or <see cref="TlvError.InvalidLength"/>
        /// when the object is malformed; the reader stays on the previous object.
        /// </exception>
        public bool Read()
        {
            if (_next >= _end)
            {
                return false;
            }

            int p = _next;
            int first = _buffer[p++];
            int tag = first;
            int tagLength = 1;

            // X.690 §8.1.2.4: low five bits all set means the tag number continues; bit 8 of each further byte means "more".
            if ((first & 0x1F) == 0x1F)
            {
                while (true)
                {
                    if (p >= _end)
                    {
                        throw new TlvException(TlvError.Truncated, "The data ends inside a tag.");
                    }

                    if (tagLength == 3)
                    {
                        throw new TlvException(TlvError.InvalidTag, "Tags longer than three bytes are not supported.");
                    }

                    int b = _buffer[p++];
                    tag = (tag << 8) | b;
                    tagLength++;
                    if ((b & 0x80) == 0)
                    {
                        break;
                    }
                }
            }

            if (p >= _end)
            {
                throw new TlvException(TlvError.Truncated, "The data ends before the length.");
            }

            // X.690 §8.1.3: short form below 80; long form 8n followed by n bytes. ISO/IEC 7816-4 §5.2.2.1 uses up to 83.
            int length = _buffer[p++];
            if (length >= 0x80)
            {
                int n = length & 0x7F;
                if (n == 0 || n > 3)
                {
                    throw new TlvException(TlvError.InvalidLength, "Only lengths 00-7F, 81, 82 and 83 are supported.");
                }

                if (n > _end - p)
                {
                    throw new TlvException(TlvError.Truncated, "The data ends inside a length.");
                }

                length = 0;
                for (int i = 0; i < n; i++)
                {
                    length = (length << 8) | _buffer[p++];
                }
            }

            if (length > _end - p)
            {
                throw new TlvException(TlvError.Truncated, "A value runs past the end of the data.");
            }

            Offset = _next;
            Tag = tag;
            TagLength = tagLength;
            ValueOffset = p;
            ValueLength = length;
            _next = p + length;
            return true;
        }

        /// <summary>Moves forward at this level to the next object with the given tag.</summary>
        /// <param name="tag">The tag to find, as in <see cref="Tag"/>.</param>
        /// <returns>True when found (the reader is on it); false when the level ended first.</returns>
        /// <exception cref="TlvException">When an object on the way is malformed.</exception>
        public bool Find(int tag)
        {
            while (Read())
            {
                if (Tag == tag)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Returns a reader over the value of the current object, to walk the children of a constructed object.</summary>
        /// <returns>A reader positioned before the first child.</returns>
        public BerTlvReader OpenValue()
        {
            return new BerTlvReader(_buffer, ValueOffset, ValueLength);
        }

        /// <summary>Reads the current value as an unsigned big-endian number of one to four bytes (for example a 9F65 size).</summary>
        /// <returns>The value as a number.</returns>
        /// <exception cref="TlvException"><see cref="TlvError.InvalidLength"/> when the value is empty or longer than four bytes.</exception>
        public uint ValueAsNumber()
        {
            if (ValueLength < 1 || ValueLength > 4)
            {
                throw new TlvException(TlvError.InvalidLength, "A number value has one to four bytes.");
            }

            uint result = 0;
            for (int i = 0; i < ValueLength; i++)
            {
                result = (result << 8) | _buffer[ValueOffset + i];
            }

            return result;
        }
    }
}
