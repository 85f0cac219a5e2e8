using NanoAgent.Drivers.Bus;

namespace NanoAgent.Host.Bench;

/// <summary>
/// A frame link in front of the virtual bus that counts bus transactions and bytes the way a logic analyser would, and
/// measures the bytes the virtual SE allocates inside each call so the host stack's own allocations can be told apart.
/// Allocates nothing itself.
/// </summary>
public sealed class MeteredLink(IFrameLink inner) : IFrameLink
{
    /// <summary>Gets the number of write transactions acknowledged.</summary>
    public long Writes { get; private set; }

    /// <summary>Gets the number of read transactions that moved data.</summary>
    public long Reads { get; private set; }

    /// <summary>Gets the number of transactions refused (address NACK: busy polls, absent device).</summary>
    public long Refused { get; private set; }

    /// <summary>Gets the data bytes moved in both directions (address bytes not included).</summary>
    public long DataBytes { get; private set; }

    /// <summary>Gets the bytes allocated on this thread inside the virtual bus and SE.</summary>
    public long InnerAllocated { get; private set; }

    /// <inheritdoc />
    public string Description => inner.Description;

    /// <inheritdoc />
    public bool AnswersFillerWhenBusy => inner.AnswersFillerWhenBusy;

    /// <summary>Clears the counters.</summary>
    public void Reset()
    {
        Writes = Reads = Refused = DataBytes = InnerAllocated = 0;
    }

    /// <inheritdoc />
    public BusTransferStatus Send(byte[] buffer, int offset, int count)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        BusTransferStatus status = inner.Send(buffer, offset, count);
        InnerAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
        Count(status, count, write: true);
        return status;
    }

    /// <inheritdoc />
    public BusTransferStatus Receive(byte[] buffer, int offset, int count)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        BusTransferStatus status = inner.Receive(buffer, offset, count);
        InnerAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
        Count(status, count, write: false);
        return status;
    }

    private void Count(BusTransferStatus status, int count, bool write)
    {
        if (status == BusTransferStatus.FullTransfer)
        {
            DataBytes += count;
            if (write)
            {
                Writes++;
            }
            else
            {
                Reads++;
            }
        }
        else
        {
            Refused++;
        }
    }
}
