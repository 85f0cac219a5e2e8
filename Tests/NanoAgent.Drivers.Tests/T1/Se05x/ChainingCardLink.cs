using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1.Se05x;

namespace NanoAgent.Drivers.Tests.T1.Se05x;

/// <summary>
/// An allocation-free scripted SE05x for allocation measurements: answers S-requests (the ATR for resets), acks
/// chained I-blocks, and answers each command with a two-block chain (10 bytes, then 9000).
/// </summary>
internal sealed class ChainingCardLink : IFrameLink
{
    private static readonly byte[] Atr = new NanoAgent.VirtualSe.T1.Se05x.Se05xResponderOptions().BuildAtr();
    private readonly byte[] _answer = new byte[Se05xFrameCodec.MaxFrame];
    private readonly byte[] _data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x90, 0x00];
    private int _length;
    private int _read;
    private int _hostNs;
    private int _cardNs;

    public string Description => "scripted";

    public bool AnswersFillerWhenBusy => false;

    public BusTransferStatus Send(byte[] buffer, int offset, int count)
    {
        byte pcb = buffer[offset + 1];
        _read = 0;
        if (T1Pcb.IsSBlock(pcb))
        {
            _hostNs = _cardNs = 0;
            _length = Se05xFrameCodec.Encode(_answer, 0xA5, (byte)(pcb | 0x20), Atr, 0, Atr.Length);
        }
        else if (T1Pcb.IsRBlock(pcb))
        {
            _length = Se05xFrameCodec.Encode(_answer, 0xA5, Se05xFrameCodec.IBlockPcb(_cardNs, false), _data, 10, 2);
            _cardNs ^= 1;
        }
        else if (Se05xFrameCodec.HasMore(pcb))
        {
            _hostNs ^= 1;
            _length = Se05xFrameCodec.Encode(_answer, 0xA5, Se05xFrameCodec.RBlockPcb(_hostNs, 0), null!, 0, 0);
        }
        else
        {
            _hostNs ^= 1;
            _length = Se05xFrameCodec.Encode(_answer, 0xA5, Se05xFrameCodec.IBlockPcb(_cardNs, true), _data, 0, 10);
            _cardNs ^= 1;
        }

        return BusTransferStatus.FullTransfer;
    }

    public BusTransferStatus Receive(byte[] buffer, int offset, int count)
    {
        if (_read + count > _length)
        {
            return BusTransferStatus.AddressNotAcknowledged;
        }

        Array.Copy(_answer, _read, buffer, offset, count);
        _read += count;
        return BusTransferStatus.FullTransfer;
    }
}
