using System;

namespace NanoAgent.Drivers.Bus
{
    /// <summary>
    /// Decorates an <see cref="IFrameLink"/> and reports each transfer (direction, bytes, status, time) to an
    /// <see cref="IFrameTraceSink"/>. Adds no allocation; the bytes go to the sink as they are in the caller's buffer.
    /// </summary>
    public sealed class TracingFrameLink : IFrameLink
    {
        private readonly IFrameLink _inner;
        private readonly IFrameTraceSink _sink;
        private readonly IClock _clock;

        /// <summary>Creates the decorator.</summary>
        /// <param name="inner">The link that moves the bytes.</param>
        /// <param name="sink">Where each transfer is reported.</param>
        /// <param name="clock">Time source for the timestamps.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        public TracingFrameLink(IFrameLink inner, IFrameTraceSink sink, IClock clock)
        {
            if (inner == null || sink == null || clock == null)
            {
                throw new ArgumentNullException(inner == null ? "inner" : sink == null ? "sink" : "clock");
            }

            _inner = inner;
            _sink = sink;
            _clock = clock;
        }

        /// <inheritdoc />
        public string Description
        {
            get { return _inner.Description; }
        }

        /// <inheritdoc />
        public bool AnswersFillerWhenBusy
        {
            get { return _inner.AnswersFillerWhenBusy; }
        }

        /// <inheritdoc />
        public BusTransferStatus Send(byte[] buffer, int offset, int count)
        {
            BusTransferStatus status = _inner.Send(buffer, offset, count);
            _sink.OnTransfer(FrameDirection.HostToSe, buffer, offset, count, status, _clock.Milliseconds);
            return status;
        }

        /// <inheritdoc />
        public BusTransferStatus Receive(byte[] buffer, int offset, int count)
        {
            BusTransferStatus status = _inner.Receive(buffer, offset, count);
            _sink.OnTransfer(FrameDirection.SeToHost, buffer, offset, count, status, _clock.Milliseconds);
            return status;
        }
    }
}
