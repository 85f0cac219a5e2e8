using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.Tests.T1.Se05x;

/// <summary>
/// A fake SE that answers every read from a fixed byte stream (then NACKs), whatever the host writes.
/// Counts calls so a test can prove the host stops.
/// </summary>
internal sealed class GarbageLink(byte[] stream, BusTransferStatus sendStatus = BusTransferStatus.FullTransfer) : IFrameLink
{
    private int _position;

    public int Calls { get; private set; }

    public string Description => "garbage";

    public bool AnswersFillerWhenBusy => false;

    public BusTransferStatus Send(byte[] buffer, int offset, int count)
    {
        Calls++;
        return sendStatus;
    }

    public BusTransferStatus Receive(byte[] buffer, int offset, int count)
    {
        if (++Calls > 10_000_000)
        {
            throw new InvalidOperationException("The host does not stop reading.");
        }

        if (_position + count > stream.Length)
        {
            return BusTransferStatus.AddressNotAcknowledged;
        }

        Array.Copy(stream, _position, buffer, offset, count);
        _position += count;
        return BusTransferStatus.FullTransfer;
    }
}
