using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>
    /// Counts what crosses a link so the diagnostics can tell "never acknowledged a write" from "acknowledged writes,
    /// refused every read" and count the host's retransmission requests.
    /// </summary>
    internal sealed class LinkCounter : IFrameLink
    {
        private readonly IFrameLink _inner;

        internal LinkCounter(IFrameLink inner)
        {
            _inner = inner;
        }

        public string Description
        {
            get { return _inner.Description; }
        }

        public bool AnswersFillerWhenBusy
        {
            get { return _inner.AnswersFillerWhenBusy; }
        }

        internal int WritesAcknowledged { get; private set; }

        internal int ReadsAcknowledged { get; private set; }

        internal int ReadsRefused { get; private set; }

        internal int Retries { get; private set; }

        public BusTransferStatus Send(byte[] buffer, int offset, int count)
        {
            BusTransferStatus status = _inner.Send(buffer, offset, count);
            if (status == BusTransferStatus.FullTransfer)
            {
                WritesAcknowledged++;
                if (count > 1)
                {
                    // ISO/IEC 7816-3 §11.3.2.2 PCB coding, shared by UM11225 and GPC_SPE_172: an R-block with error bits
                    // asks for a retransmission; S(RESYNCH) request (0xC0) restarts the sequence numbers.
                    byte pcb = buffer[offset + 1];
                    if (((pcb & 0xC0) == 0x80 && (pcb & 0x0F) != 0) || pcb == 0xC0)
                    {
                        Retries++;
                    }
                }
            }

            return status;
        }

        public BusTransferStatus Receive(byte[] buffer, int offset, int count)
        {
            BusTransferStatus status = _inner.Receive(buffer, offset, count);
            if (status == BusTransferStatus.AddressNotAcknowledged)
            {
                ReadsRefused++;
            }
            else if (status == BusTransferStatus.FullTransfer)
            {
                ReadsAcknowledged++;
            }

            return status;
        }

        internal void Clear()
        {
            WritesAcknowledged = 0;
            ReadsAcknowledged = 0;
            ReadsRefused = 0;
            Retries = 0;
        }
    }
}
