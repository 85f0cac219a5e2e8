using System;

namespace NanoAgent.Agent.Relay
{
    /// <summary>An <see cref="IJournalStorage"/> in RAM: for the benchmark and for hosts that measure the store without flash.</summary>
    public sealed class MemoryJournalStorage : IJournalStorage
    {
        private byte[] _data;
        private int _length;

        /// <inheritdoc />
        public byte[] Read()
        {
            if (_data == null)
            {
                return null;
            }

            byte[] copy = new byte[_length];
            Array.Copy(_data, copy, _length);
            return copy;
        }

        /// <inheritdoc />
        public void Append(byte[] data, int offset, int count)
        {
            if (_data == null)
            {
                _data = new byte[256];
            }

            if (_length + count > _data.Length)
            {
                byte[] larger = new byte[(_length + count) * 2];
                Array.Copy(_data, larger, _length);
                _data = larger;
            }

            Array.Copy(data, offset, _data, _length, count);
            _length += count;
        }

        /// <inheritdoc />
        public void Reset(byte[] data, int offset, int count)
        {
            _length = 0;
            if (_data == null)
            {
                _data = new byte[256];
            }

            Append(data, offset, count);
        }
    }
}
