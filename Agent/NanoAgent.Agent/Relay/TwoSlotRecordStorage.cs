using System;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// An atomic <see cref="IRecordStorage"/> over two slots that may tear (<see cref="IRecordSlots"/>): each write goes
    /// to the slot not holding the newest record, framed as sequence number (4 bytes, big-endian), length (4 bytes) and the
    /// record, closed by a CRC-16/X-25 over all of it (2 bytes, big-endian). A read takes the intact slot with the newest
    /// sequence number, so a write cut at any point leaves the previous record readable. Not thread-safe: the owner locks.
    /// </summary>
    public sealed class TwoSlotRecordStorage : IRecordStorage
    {
        private const int HeaderLength = 8;
        private const int CrcLength = 2;

        private readonly IRecordSlots _slots;
        private byte[] _frame = new byte[256];
        private bool _scanned;
        private int _newestSlot;
        private uint _newestSequence;

        /// <summary>Creates the storage.</summary>
        /// <param name="slots">The two raw slots.</param>
        /// <exception cref="ArgumentNullException">When <paramref name="slots"/> is null.</exception>
        public TwoSlotRecordStorage(IRecordSlots slots)
        {
            if (slots == null)
            {
                throw new ArgumentNullException("slots");
            }

            _slots = slots;
            _newestSlot = -1;
        }

        /// <inheritdoc />
        public byte[] Read()
        {
            byte[] a = _slots.ReadSlot(0);
            byte[] b = _slots.ReadSlot(1);
            bool validA = IsIntact(a);
            bool validB = IsIntact(b);
            _scanned = true;
            if (!validA && !validB)
            {
                _newestSlot = -1;
                _newestSequence = 0;
                if ((a != null && a.Length > 0) || (b != null && b.Length > 0))
                {
                    throw new RelayStoreException(RelayStoreError.NoIntactSlot, "Neither storage slot holds an intact record.");
                }

                return null;
            }

            // Serial-number comparison so the sequence may wrap around.
            bool pickA = validA && (!validB || (int)(SequenceOf(a) - SequenceOf(b)) > 0);
            byte[] chosen = pickA ? a : b;
            _newestSlot = pickA ? 0 : 1;
            _newestSequence = SequenceOf(chosen);
            int length = (int)ReadUInt32(chosen, 4);
            byte[] record = new byte[length];
            Array.Copy(chosen, HeaderLength, record, 0, length);
            return record;
        }

        /// <inheritdoc />
        /// <exception cref="ArgumentException">When the range lies outside <paramref name="data"/>.</exception>
        public void Write(byte[] data, int offset, int count)
        {
            if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
            {
                throw new ArgumentException("The record range lies outside its buffer.");
            }

            if (!_scanned)
            {
                try
                {
                    Read();
                }
                catch (RelayStoreException)
                {
                    // Overwriting garbage is what the caller asked for; slot 0 goes first.
                }
            }

            int target = _newestSlot == 0 ? 1 : 0;
            uint sequence = _newestSlot < 0 ? 1 : _newestSequence + 1;
            int total = HeaderLength + count + CrcLength;
            if (_frame.Length < total)
            {
                _frame = new byte[total * 2];
            }

            WriteUInt32(_frame, 0, sequence);
            WriteUInt32(_frame, 4, (uint)count);
            Array.Copy(data, offset, _frame, HeaderLength, count);
            ushort crc = Crc16X25.Compute(_frame, 0, HeaderLength + count);
            _frame[HeaderLength + count] = (byte)(crc >> 8);
            _frame[HeaderLength + count + 1] = (byte)crc;
            _slots.WriteSlot(target, _frame, 0, total);
            _newestSlot = target;
            _newestSequence = sequence;
        }

        private static bool IsIntact(byte[] frame)
        {
            if (frame == null || frame.Length < HeaderLength + CrcLength)
            {
                return false;
            }

            uint length = ReadUInt32(frame, 4);
            if (length != (uint)(frame.Length - HeaderLength - CrcLength))
            {
                return false;
            }

            int end = frame.Length - CrcLength;
            ushort crc = Crc16X25.Compute(frame, 0, end);
            return frame[end] == (byte)(crc >> 8) && frame[end + 1] == (byte)crc;
        }

        private static uint SequenceOf(byte[] frame)
        {
            return ReadUInt32(frame, 0);
        }

        private static uint ReadUInt32(byte[] buffer, int at)
        {
            return ((uint)buffer[at] << 24) | ((uint)buffer[at + 1] << 16) | ((uint)buffer[at + 2] << 8) | buffer[at + 3];
        }

        private static void WriteUInt32(byte[] buffer, int at, uint value)
        {
            buffer[at] = (byte)(value >> 24);
            buffer[at + 1] = (byte)(value >> 16);
            buffer[at + 2] = (byte)(value >> 8);
            buffer[at + 3] = (byte)value;
        }
    }
}
