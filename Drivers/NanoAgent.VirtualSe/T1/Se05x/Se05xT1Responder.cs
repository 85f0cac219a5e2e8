using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Se05x;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Card;
using Codec = NanoAgent.Drivers.T1.Se05x.Se05xFrameCodec;

namespace NanoAgent.VirtualSe.T1.Se05x;

/// <summary>
/// Card side of SE05x T=1 over I2C (UM11225) for the virtual bus: assembles chained commands for an
/// <see cref="IApduProcessor"/>, chains responses at the host's IFSD, answers every S-block, NACKs corrupt frames
/// and retransmits its last block on request (ISO/IEC 7816-3 §11.6). Busy NACKs are the bus's job.
/// </summary>
public sealed class Se05xT1Responder : IBlockResponder
{
    private enum Sent
    {
        Nothing,
        IBlock,
        RBlock,
        SRequest,
    }

    private readonly IApduProcessor _processor;
    private readonly Se05xResponderOptions _options;
    private readonly byte[] _command = new byte[65544];
    private readonly byte[] _response = new byte[65538];
    private readonly byte[] _last = new byte[Codec.MaxFrame];
    private readonly byte[] _scratch = new byte[Codec.MaxFrame];
    private int _commandLength;
    private bool _commandOverflow;
    private int _responseLength;
    private int _responsePosition;
    private int _lastLength;
    private Sent _sent;
    private int _lastIns;
    private bool _lastIMore;
    private int _expectedHostNs;
    private int _nextNs;
    private int _pendingWtx;
    private int _pendingIfs;
    private bool _pendingAbort;

    /// <summary>Creates the responder.</summary>
    /// <param name="processor">Where complete command APDUs go.</param>
    /// <param name="options">Interface parameters; defaults if null.</param>
    public Se05xT1Responder(IApduProcessor processor, Se05xResponderOptions? options = null)
    {
        _processor = processor;
        _options = options ?? new Se05xResponderOptions();
        Atr = _options.BuildAtr();
        Reset();
    }

    /// <summary>Gets the ATR answered to S(GET ATR) and S(INTERFACE SOFT RESET).</summary>
    public byte[] Atr { get; }

    /// <summary>Gets the largest INF the card accepts now.</summary>
    public int Ifsc { get; private set; }

    /// <summary>Gets the largest INF the card sends now (the host's IFSD, set by S(IFS) from the host).</summary>
    public int Ifsd { get; private set; }

    /// <summary>Gets or sets the BWT multiplier the card puts in its S(WTX) requests.</summary>
    public byte WtxMultiplier { get; set; } = 1;

    /// <summary>Gets the number of complete commands handed to the processor.</summary>
    public int CommandsProcessed { get; private set; }

    /// <summary>Gets the number of frames rejected for a bad CRC or length.</summary>
    public int BadFrames { get; private set; }

    /// <summary>Gets the number of S(WTX) responses received from the host.</summary>
    public int WtxResponses { get; private set; }

    /// <summary>Gets how many S-block requests of each type (index = type) the host sent.</summary>
    public int[] HostRequests { get; } = new int[32];

    /// <inheritdoc />
    public int MaxFrameSize => Codec.MaxFrame;

    /// <summary>Test hook: the card asks for <paramref name="count"/> waiting time extensions before its next response.</summary>
    /// <param name="count">Number of S(WTX) requests.</param>
    public void RequestWtxBeforeNextResponse(int count) => _pendingWtx = count;

    /// <summary>Test hook: the card announces a new IFSC with S(IFS) before its next response.</summary>
    /// <param name="ifsc">The new IFSC, 1 to 254.</param>
    public void RequestIfsBeforeNextResponse(int ifsc) => _pendingIfs = ifsc;

    /// <summary>Test hook: the card sends S(ABORT) instead of its next response.</summary>
    public void AbortNextResponse() => _pendingAbort = true;

    /// <inheritdoc />
    public void PowerOnReset()
    {
        Reset();
        _processor.Reset();
    }

    /// <inheritdoc />
    public int HandleFrame(ReadOnlySpan<byte> frame, Span<byte> output)
    {
        if (frame.Length < 1 || frame[0] != Codec.NadHostToSe)
        {
            return 0; // not addressed to the SE: stay silent
        }

        frame.CopyTo(_scratch.AsSpan(0, Math.Min(frame.Length, _scratch.Length)));
        if (frame.Length > _scratch.Length || !Codec.IsValid(_scratch, frame.Length))
        {
            BadFrames++;
            bool lengthOk = frame.Length >= 5 && frame.Length == 5 + frame[2];
            return Emit(output, Codec.RBlockPcb(_expectedHostNs, lengthOk ? 1 : 2), [], false);
        }

        byte pcb = frame[1];
        ReadOnlySpan<byte> inf = frame.Slice(Codec.HeaderLength, frame[2]);
        if (T1Pcb.IsIBlock(pcb))
        {
            return OnIBlock(pcb, inf, output);
        }

        if (T1Pcb.IsRBlock(pcb))
        {
            return OnRBlock(Codec.Sequence(pcb), output);
        }

        return Codec.IsSResponse(pcb) ? OnSResponse(Codec.SType(pcb), inf, output) : OnSRequest(Codec.SType(pcb), inf, output);
    }

    private int OnIBlock(byte pcb, ReadOnlySpan<byte> inf, Span<byte> output)
    {
        if ((_sent == Sent.IBlock && _lastIMore) || Codec.Sequence(pcb) != _expectedHostNs || inf.Length > Ifsc)
        {
            return Nack(output);
        }

        if (_commandLength + inf.Length > _command.Length)
        {
            _commandOverflow = true;
        }
        else
        {
            inf.CopyTo(_command.AsSpan(_commandLength));
            _commandLength += inf.Length;
        }

        _expectedHostNs ^= 1;
        if (Codec.HasMore(pcb))
        {
            return Emit(output, Codec.RBlockPcb(_expectedHostNs, 0), [], true, Sent.RBlock);
        }

        _responseLength = _commandOverflow
            ? WriteSw(0x6700)
            : _processor.Process(_command.AsSpan(0, _commandLength), _response);
        CommandsProcessed++;
        if (_responseLength == 0)
        {
            // The card lost power while processing (an armed NVM power cut): it answers nothing and its interface restarts.
            Reset();
            return 0;
        }

        _responsePosition = 0;
        _commandLength = 0;
        _commandOverflow = false;
        return NextAfterCommand(output);
    }

    private int OnRBlock(int nr, Span<byte> output)
    {
        if (_sent == Sent.IBlock && _lastIMore && nr != _lastIns)
        {
            return SendChunk(output); // acknowledgement of our chained block
        }

        if ((_sent == Sent.IBlock && nr == _lastIns) || _sent == Sent.RBlock || _sent == Sent.SRequest)
        {
            _last.AsSpan(0, _lastLength).CopyTo(output);
            return _lastLength;
        }

        return Nack(output); // nothing to retransmit: ask for the I-block we expect
    }

    private int OnSRequest(Se05xSBlockType type, ReadOnlySpan<byte> inf, Span<byte> output)
    {
        HostRequests[(int)type]++;
        byte response = Codec.SBlockPcb(type, true);
        switch (type)
        {
            case Se05xSBlockType.Resynch:
                ResetSequence();
                return Emit(output, response, [], false);
            case Se05xSBlockType.Ifs when inf.Length == 1 && inf[0] is >= 1 and <= Codec.MaxInf:
                Ifsd = inf[0];
                return Emit(output, response, inf, false);
            case Se05xSBlockType.Abort:
                _commandLength = 0;
                _responseLength = _responsePosition = 0;
                return Emit(output, response, [], false);
            case Se05xSBlockType.EndOfApduSession:
                return Emit(output, response, [], false);
            case Se05xSBlockType.GetAtr:
                return Emit(output, response, Atr, false);
            case Se05xSBlockType.InterfaceSoftReset:
                Reset();
                return Emit(output, response, Atr, false);
            case Se05xSBlockType.ChipReset:
                int length = Emit(output, response, [], false);
                PowerOnReset();
                return length;
            default:
                return Nack(output);
        }
    }

    private int OnSResponse(Se05xSBlockType type, ReadOnlySpan<byte> inf, Span<byte> output)
    {
        byte asked = _sent == Sent.SRequest ? _last[1] : (byte)0;
        if (asked != Codec.SBlockPcb(type, false))
        {
            return Nack(output);
        }

        switch (type)
        {
            case Se05xSBlockType.Wtx:
                WtxResponses++;
                return NextAfterCommand(output);
            case Se05xSBlockType.Ifs:
                Ifsc = _last[3];
                return NextAfterCommand(output);
            default:
                _responseLength = _responsePosition = 0;
                _sent = Sent.Nothing;
                return 0; // chain aborted; the host resynchronises next
        }
    }

    private int NextAfterCommand(Span<byte> output)
    {
        if (_pendingAbort)
        {
            _pendingAbort = false;
            return Emit(output, Codec.SBlockPcb(Se05xSBlockType.Abort, false), [], true, Sent.SRequest);
        }

        if (_pendingWtx > 0)
        {
            _pendingWtx--;
            return Emit(output, Codec.SBlockPcb(Se05xSBlockType.Wtx, false), [WtxMultiplier], true, Sent.SRequest);
        }

        if (_pendingIfs > 0)
        {
            byte ifs = (byte)_pendingIfs;
            _pendingIfs = 0;
            return Emit(output, Codec.SBlockPcb(Se05xSBlockType.Ifs, false), [ifs], true, Sent.SRequest);
        }

        return SendChunk(output);
    }

    private int SendChunk(Span<byte> output)
    {
        int n = Math.Min(Ifsd, _responseLength - _responsePosition);
        bool more = _responsePosition + n < _responseLength;
        int length = Emit(output, Codec.IBlockPcb(_nextNs, more), _response.AsSpan(_responsePosition, n), true, Sent.IBlock);
        _responsePosition += n;
        _lastIns = _nextNs;
        _lastIMore = more;
        _nextNs ^= 1;
        return length;
    }

    private int Nack(Span<byte> output) => Emit(output, Codec.RBlockPcb(_expectedHostNs, 2), [], false);

    private int Emit(Span<byte> output, byte pcb, ReadOnlySpan<byte> inf, bool remember, Sent kind = Sent.Nothing)
    {
        byte[] infArray = inf.ToArray();
        int length = Codec.Encode(_scratch, Codec.NadSeToHost, pcb, infArray, 0, infArray.Length);
        _scratch.AsSpan(0, length).CopyTo(output);
        if (remember)
        {
            _scratch.AsSpan(0, length).CopyTo(_last);
            _lastLength = length;
            _sent = kind;
        }

        return length;
    }

    private int WriteSw(int sw)
    {
        _response[0] = (byte)(sw >> 8);
        _response[1] = (byte)sw;
        return 2;
    }

    private void ResetSequence()
    {
        _expectedHostNs = _nextNs = 0;
        _commandLength = 0;
        _commandOverflow = false;
        _responseLength = _responsePosition = 0;
        _sent = Sent.Nothing;
        _lastIMore = false;
        _pendingWtx = _pendingIfs = 0; // the response the hooks were for is abandoned
        _pendingAbort = false;
    }

    private void Reset()
    {
        ResetSequence();
        Ifsc = _options.Ifsc;
        Ifsd = Codec.MaxInf;
    }
}
