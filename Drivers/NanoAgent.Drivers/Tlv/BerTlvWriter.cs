using System;

namespace NanoAgent.Drivers.Tlv
{
    /// <summary>
    /// Writes BER-TLV data objects into a caller's buffer (ISO/IEC 8825-1, lengths in the shortest form as DER does):
    /// primitive objects in one call, constructed objects between <see cref="BeginConstructed"/> and
    /// <see cref="EndConstructed"/>, whose length is back-patched. Reusable with <see cref="Reset"/>; allocates only in
    /// the constructor.
    /// </summary>
    public class BerTlvWriter
    {
        /// <summary>How many constructed objects may be open at once.</summary>
        public const int MaxDepth = 8;

        /// <summary>The largest value length the writer encodes (three length bytes after 83).</summary>
        public const int MaxValueLength = 0xFFFFFF;

        private readonly int[] _open = new int[MaxDepth];
        private byte[] _buffer;
        private int _start;
        private int _end;
        private int _position;
        private int _depth;

        /// <summary>Creates a writer over a range of a buffer.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the first byte goes.</param>
        /// <param name="count">Room available.</param>
        /// <exception cref="TlvException"><see cref="TlvError.InvalidRange"/> when the range lies outside the buffer.</exception>
        public BerTlvWriter(byte[] buffer, int offset, int count)
        {
            Reset(buffer, offset, count);
        }

        /// <summary>Gets the number of bytes written so far.</summary>
        public int Length
        {
            get { return _position - _start; }
        }

        /// <summary>Gets the number of constructed objects still open.</summary>
        public int Depth
        {
            get { return _depth; }
        }

        /// <summary>Returns how many bytes a tag takes.</summary>
        /// <param name="tag">The tag, its bytes big-endian (for example 0x84, 0x9F65, 0xDF8101).</param>
        /// <returns>1 to 3.</returns>
        /// <exception cref="TlvException"><see cref="TlvError.InvalidTag"/> when the number is not a valid one- to three-byte BER tag.</exception>
        public static int TagSize(int tag)
        {
            // X.690 §8.1.2: a first byte with low bits 1F announces more bytes; bit 8 of each further byte means "more".
            if (tag >= 0 && tag <= 0xFF && (tag & 0x1F) != 0x1F)
            {
                return 1;
            }

            if (tag > 0xFF && tag <= 0xFFFF && ((tag >> 8) & 0x1F) == 0x1F && (tag & 0x80) == 0)
            {
                return 2;
            }

            if (tag > 0xFFFF && tag <= 0xFFFFFF && ((tag >> 16) & 0x1F) == 0x1F && (tag & 0x8000) != 0 && (tag & 0x80) == 0)
            {
                return 3;
            }

            throw new TlvException(TlvError.InvalidTag, "The tag is not a valid one- to three-byte BER tag.");
        }

        /// <summary>Returns how many bytes a length takes: 1 below 128, else 2, 3 or 4 (81, 82, 83 forms).</summary>
        /// <param name="length">The value length, 0 to <see cref="MaxValueLength"/>.</param>
        /// <returns>1 to 4.</returns>
        /// <exception cref="TlvException"><see cref="TlvError.InvalidLength"/> when out of range.</exception>
        public static int LengthSize(int length)
        {
            if (length < 0 || length > MaxValueLength)
            {
                throw new TlvException(TlvError.InvalidLength, "A value length is 0 to 16777215.");
            }

            return length < 0x80 ? 1 : length <= 0xFF ? 2 : length <= 0xFFFF ? 3 : 4;
        }

        /// <summary>Returns the encoded size of a data object.</summary>
        /// <param name="tag">The tag.</param>
        /// <param name="valueLength">The value length.</param>
        /// <returns>Tag, length and value bytes together.</returns>
        /// <exception cref="TlvException">When the tag or length is invalid.</exception>
        public static int EncodedLength(int tag, int valueLength)
        {
            return TagSize(tag) + LengthSize(valueLength) + valueLength;
        }

        /// <summary>Starts over on a new range, closing nothing.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the first byte goes.</param>
        /// <param name="count">Room available.</param>
        /// <exception cref="TlvException"><see cref="TlvError.InvalidRange"/> when the range lies outside the buffer.</exception>
        public void Reset(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new TlvException(TlvError.InvalidRange, "The TLV range lies outside the buffer.");
            }

            _buffer = buffer;
            _start = offset;
            _position = offset;
            _end = offset + count;
            _depth = 0;
        }

        /// <summary>Writes a primitive (or pre-encoded constructed) data object.</summary>
        /// <param name="tag">The tag.</param>
        /// <param name="value">Buffer holding the value; may be null when <paramref name="count"/> is 0.</param>
        /// <param name="offset">First value byte.</param>
        /// <param name="count">Value length.</param>
        /// <exception cref="TlvException">
        /// <see cref="TlvError.InvalidTag"/>, <see cref="TlvError.InvalidLength"/>, <see cref="TlvError.InvalidRange"/>
        /// or <see cref="TlvError.BufferTooSmall"/>; nothing is written then.
        /// </exception>
        public void Write(int tag, byte[] value, int offset, int count)
        {
            if (count != 0 && (value == null || offset < 0 || count < 0 || offset > value.Length - count))
            {
                throw new TlvException(TlvError.InvalidRange, "The value range lies outside its buffer.");
            }

            Ensure(EncodedLength(tag, count));
            WriteTag(tag);
            WriteLength(_position, count);
            _position += LengthSize(count);
            if (count > 0)
            {
                Array.Copy(value, offset, _buffer, _position, count);
                _position += count;
            }
        }

        /// <summary>Writes a data object whose value is one byte.</summary>
        /// <param name="tag">The tag.</param>
        /// <param name="value">The value byte.</param>
        /// <exception cref="TlvException">When the tag is invalid or the buffer is full.</exception>
        public void WriteByte(int tag, byte value)
        {
            Ensure(TagSize(tag) + 2);
            WriteTag(tag);
            _buffer[_position++] = 1;
            _buffer[_position++] = value;
        }

        /// <summary>Opens a constructed data object; what is written until <see cref="EndConstructed"/> becomes its value.</summary>
        /// <param name="tag">The tag; bit 6 of its first byte must be set (X.690 §8.1.2.5).</param>
        /// <exception cref="TlvException">
        /// <see cref="TlvError.InvalidTag"/> for a primitive tag, <see cref="TlvError.Unbalanced"/> beyond
        /// <see cref="MaxDepth"/>, <see cref="TlvError.BufferTooSmall"/> when full.
        /// </exception>
        public void BeginConstructed(int tag)
        {
            int size = TagSize(tag);
            if (((tag >> (8 * (size - 1))) & 0x20) == 0)
            {
                throw new TlvException(TlvError.InvalidTag, "A constructed object needs a tag with bit 6 of its first byte set.");
            }

            if (_depth == MaxDepth)
            {
                throw new TlvException(TlvError.Unbalanced, "Constructed objects are nested too deep.");
            }

            Ensure(size + 1);
            WriteTag(tag);

            // Reserve one length byte; EndConstructed moves the value right if the length needs more.
            _open[_depth++] = _position++;
        }

        /// <summary>Closes the innermost open constructed object and writes its length.</summary>
        /// <exception cref="TlvException">
        /// <see cref="TlvError.Unbalanced"/> when none is open; <see cref="TlvError.BufferTooSmall"/> when the long-form
        /// length does not fit (the object stays open).
        /// </exception>
        public void EndConstructed()
        {
            if (_depth == 0)
            {
                throw new TlvException(TlvError.Unbalanced, "No constructed object is open.");
            }

            int lengthAt = _open[_depth - 1];
            int valueLength = _position - lengthAt - 1;
            int extra = LengthSize(valueLength) - 1;
            if (extra > 0)
            {
                Ensure(extra);
                Array.Copy(_buffer, lengthAt + 1, _buffer, lengthAt + 1 + extra, valueLength);
                _position += extra;
            }

            WriteLength(lengthAt, valueLength);
            _depth--;
        }

        /// <summary>Returns the length written, checking that every constructed object was closed.</summary>
        /// <returns>The number of bytes written.</returns>
        /// <exception cref="TlvException"><see cref="TlvError.Unbalanced"/> when an object is still open.</exception>
        public int Finish()
        {
            if (_depth != 0)
            {
                throw new TlvException(TlvError.Unbalanced, "A constructed object was left open.");
            }

            return Length;
        }

        private void Ensure(int bytes)
        {
            if (bytes > _end - _position)
            {
                throw new TlvException(TlvError.BufferTooSmall, "The TLV buffer is full.");
            }
        }

        private void WriteTag(int tag)
        {
            for (int shift = 8 * (TagSize(tag) - 1); shift >= 0; shift -= 8)
            {
                _buffer[_position++] = (byte)(tag >> shift);
            }
        }

        private void WriteLength(int at, int length)
        {
            int size = LengthSize(length);
            if (size == 1)
            {
                _buffer[at] = (byte)length;
                return;
            }

            _buffer[at] = (byte)(0x80 | (size - 1));
            for (int i = 1; i < size; i++)
            {
                _buffer[at + i] = (byte)(length >> (8 * (size - 1 - i)));
            }
        }
    }
}
