using System;

namespace NanoAgent.Agent.Relay
{
    /// <summary>An <see cref="IRecordSlots"/> that reports every slot write to a <see cref="FlashWearMeter"/>, then passes it on.</summary>
    public sealed class WearCountingSlots : IRecordSlots
    {
        private readonly IRecordSlots _inner;
        private readonly FlashWearMeter _meter;

        /// <summary>Creates the decorator.</summary>
        /// <param name="inner">The slots written.</param>
        /// <param name="meter">The meter fed.</param>
        /// <exception cref="ArgumentNullException">When an argument is null.</exception>
        public WearCountingSlots(IRecordSlots inner, FlashWearMeter meter)
        {
            if (inner == null || meter == null)
            {
                throw new ArgumentNullException(inner == null ? "inner" : "meter");
            }

            _inner = inner;
            _meter = meter;
        }

        /// <inheritdoc />
        public byte[] ReadSlot(int slot)
        {
            return _inner.ReadSlot(slot);
        }

        /// <inheritdoc />
        public void WriteSlot(int slot, byte[] data, int offset, int count)
        {
            _meter.SlotRewritten(slot, count);
            _inner.WriteSlot(slot, data, offset, count);
        }
    }
}
