using NanoAgent.Drivers.T1;
namespace NanoAgent.VirtualSe.Bus;

/// <summary>
/// Bus-independent core of a virtual SE on a bus: hands host frames to the responder, applies faults,
/// and serves the answer byte by byte across as many read transactions as the host uses.
/// </summary>
public sealed class VirtualTarget
{
    private readonly IBlockResponder _responder;
    private readonly VirtualBusOptions _options;
    private readonly byte[] _answer;
    private int _answerLength;
    private int _answerRead;
    private int _busy;

    /// <summary>Creates the target.</summary>
    /// <param name="responder">The card side of the block protocol.</param>
    /// <param name="options">Bus behaviour.</param>
    public VirtualTarget(IBlockResponder responder, VirtualBusOptions options)
    {
        _responder = responder;
        _options = options;
        _answer = new byte[responder.MaxFrameSize];
        SpeedKhz = options.SpeedKhz;
    }

    /// <summary>Gets or sets the bus clock in kHz; above <see cref="VirtualBusOptions.CorruptAboveKhz"/> every answer is corrupted.</summary>
    public int SpeedKhz { get; set; }

    /// <summary>Gets the faults to arm.</summary>
    public BusFaults Faults { get; } = new BusFaults();

    /// <summary>Gets the number of frames the host wrote.</summary>
    public int FramesWritten { get; private set; }

    /// <summary>Gets the number of read transactions refused as busy.</summary>
    public int BusyRefusals { get; private set; }

    /// <summary>Raised with each frame the host wrote, as received (after faults), for bus traces.</summary>
    public event Action<byte[]>? HostFrame;

    /// <summary>Raised with each answer frame the SE made available, for bus traces.</summary>
    public event Action<byte[]>? SeFrame;

    /// <summary>Cold-resets the SE behind the bus.</summary>
    public void PowerOnReset()
    {
        _responder.PowerOnReset();
        _answerLength = 0;
        _answerRead = 0;
        _busy = 0;
    }

    /// <summary>Accepts a host write.</summary>
    /// <param name="data">The bytes written.</param>
    /// <returns>False when the device is absent (address not acknowledged).</returns>
    public bool Write(ReadOnlySpan<byte> data)
    {
        if (Faults.Absent)
        {
            return false;
        }

        FramesWritten++;
        if (Faults.DropNextHostFrame)
        {
            Faults.DropNextHostFrame = false;
            Faults.Fired++;
            return true;
        }

        byte[] frame = data.ToArray();
        if (Faults.CorruptNextHostFrameAt >= 0 && Faults.CorruptNextHostFrameAt < frame.Length)
        {
            frame[Faults.CorruptNextHostFrameAt] ^= 0x01;
            Faults.CorruptNextHostFrameAt = -1;
            Faults.Fired++;
        }

        HostFrame?.Invoke(frame);
        // ISO/IEC 7816-3 §11.3.2.2: bit 8 of the PCB (second byte) clear marks an I-block in both protocols.
        bool iBlock = frame.Length > 1 && T1Pcb.IsIBlock(frame[1]);
        if (Faults.ResetOnNextHostFrame || (Faults.ResetOnIBlocks && iBlock))
        {
            Faults.ResetOnNextHostFrame = false;
            Faults.Fired++;
            PowerOnReset();
            return true;
        }

        _answerLength = _responder.HandleFrame(frame, _answer);
        _answerRead = 0;
        _busy = _options.BusyPolls;
        if (_answerLength > 0)
        {
            if (Faults.DropNextSeFrame)
            {
                Faults.DropNextSeFrame = false;
                Faults.Fired++;
                _answerLength = 0;
            }
            else
            {
                if (Faults.CorruptNextSeFrameAt >= 0 && Faults.CorruptNextSeFrameAt < _answerLength)
                {
                    _answer[Faults.CorruptNextSeFrameAt] ^= 0x01;
                    Faults.CorruptNextSeFrameAt = -1;
                    Faults.Fired++;
                }

                if (_options.CorruptAboveKhz > 0 && SpeedKhz > _options.CorruptAboveKhz)
                {
                    _answer[_answerLength - 1] ^= 0x10;
                    Faults.Fired++;
                }

                SeFrame?.Invoke(_answer.AsSpan(0, _answerLength).ToArray());
            }
        }

        return true;
    }

    /// <summary>Serves a host read.</summary>
    /// <param name="destination">Where the bytes go.</param>
    /// <returns>The number of bytes served; -1 when the SE refuses the read (busy, nothing to send, or absent).</returns>
    public int Read(Span<byte> destination)
    {
        if (Faults.Absent)
        {
            return -1;
        }

        if (Faults.StuckNack)
        {
            BusyRefusals++;
            return -1;
        }

        if (_busy > 0 || Faults.NackPolls > 0)
        {
            if (_busy > 0)
            {
                _busy--;
            }
            else
            {
                Faults.NackPolls--;
            }

            BusyRefusals++;
            return -1;
        }

        int remaining = _answerLength - _answerRead;
        if (remaining <= 0)
        {
            if (_options.AcknowledgeIdleReads)
            {
                destination.Fill(0xFF);
                return destination.Length;
            }

            return -1;
        }

        int n = Math.Min(remaining, destination.Length);
        _answer.AsSpan(_answerRead, n).CopyTo(destination);
        _answerRead += n;
        return n;
    }
}
