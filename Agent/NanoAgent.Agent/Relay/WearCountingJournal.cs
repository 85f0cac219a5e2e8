using System;

namespace NanoAgent.Agent.Relay
{
    /// <summary>An <see cref="IJournalStorage"/> that reports every append and restart to a <see cref="FlashWearMeter"/>, then passes it on.</summary>
    public sealed class WearCountingJournal : IJournalStorage
    {
        private readonly IJournalStorage _inner;
        private readonly FlashWearMeter _meter;

        /// <summary>Creates the decorator.</summary>
        /// <param name="inner">The journal written.</param>
        /// <param name="meter">The meter fed.</param>
        /// <exception cref="ArgumentNullException">When an argument is null.</exception>
        public WearCountingJournal(IJournalStorage inner, FlashWearMeter meter)
        {
            if (inner == null || meter == null)
            {
                throw new ArgumentNullException(inner == null ? "inner" : "meter");
            }

            _inner = inner;
            _meter = meter;
        }

        /// <inheritdoc />
        public byte[] Read()
        {
            return _inner.Read();
        }

        /// <inheritdoc />
        public void Append(byte[] data, int offset, int count)
        {
            _meter.JournalAppended(count);
            _inner.Append(data, offset, count);
        }

        /// <inheritdoc />
        public void Reset(byte[] data, int offset, int count)
        {
            _meter.JournalReset(count);
            _inner.Reset(data, offset, count);
        }
    }
}
