using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Card;

namespace NanoAgent.VirtualSe.T1.Gp;

/// <summary>
/// Card side of GP T=1' (GPC_SPE_172) over an <see cref="IApduProcessor"/>: answers every S-block, keeps the sequence numbers,
/// chains both ways (accepting up to its IFSC, sending up to the host's IFSD), NACKs corrupt blocks and repeats its last block
/// on request (ISO/IEC 7816-3 §11.6.3.2). After power-on it stays mute to I- and R-blocks until the host activates it with an
/// S-block (CIP, RESYNCH or SWR), so a reset mid-chain surfaces as silence rather than a silently truncated command.
/// </summary>
public sealed class GpT1Responder : IBlockResponder
{
    private const int MaxApdu = 65544 + 16;
    private const int MaxFrame = GpFrameCodec.Overhead + GpFrameCodec.MaxIfs;

    private readonly IApduProcessor _processor;
    private readonly GpT1ResponderOptions _options;
    private readonly byte[] _cip;
    private readonly byte[] _in = new byte[MaxFrame];
    private readonly byte[] _out = new byte[MaxFrame];
    private readonly byte[] _lastI = new byte[MaxFrame];
    private readonly byte[] _pendingS = new byte[16];
    private readonly byte[] _command = new byte[MaxApdu];
    private readonly byte[] _response = new byte[65538];
    private int _commandLength;
    private int _responseLength;
    private int _responseSent;
    private int _lastILength;
    private int _lastINs;
    private bool _lastIMore;
    private int _pendingSLength;
    private int _expectedNs;
    private int _ns;
    private int _wtxBeforeResponse;
    private byte _wtxMultiplier = 1;
    private int _ifsBeforeResponse;
    private bool _abortNextChain;

    /// <summary>Creates the responder.</summary>
    /// <param name="processor">The card's APDU dispatcher.</param>
    /// <param name="options">CIP contents and defaults; defaults when null.</param>
    public GpT1Responder(IApduProcessor processor, GpT1ResponderOptions? options = null)
    {
        _processor = processor;
        _options = options ?? new GpT1ResponderOptions();
        _cip = _options.BuildCip();
        ResetInterface();
    }

    /// <inheritdoc />
    public int MaxFrameSize => MaxFrame;

    /// <summary>Gets whether the host has activated the interface since power-on.</summary>
    public bool IsActivated { get; private set; }

    /// <summary>Gets the IFSC in force (what the SE accepts).</summary>
    public int Ifsc { get; private set; }

    /// <summary>Gets the IFSD in force (what the SE sends at most).</summary>
    public int Ifsd { get; private set; }

    /// <summary>Gets how many corrupt frames arrived (CRC or length errors).</summary>
    public int BadFramesReceived { get; private set; }

    /// <summary>Gets how many blocks were sent again on the host's request.</summary>
    public int Retransmissions { get; private set; }

    /// <summary>Gets how many complete APDUs were processed.</summary>
    public int CommandsProcessed { get; private set; }

    /// <summary>Gets how many S(WTX) requests were sent.</summary>
    public int WtxRequestsSent { get; private set; }

    /// <summary>Gets the S-block requests received, by type, for assertions.</summary>
    public List<GpSBlockType> SRequestsReceived { get; } = [];

    /// <summary>Test hook: send <paramref name="count"/> S(WTX) requests before the next response.</summary>
    /// <param name="count">Number of requests.</param>
    /// <param name="multiplier">The BWT multiplier each request asks for.</param>
    public void RequestWtxBeforeNextResponse(int count, byte multiplier = 1)
    {
        _wtxBeforeResponse = count;
        _wtxMultiplier = multiplier;
    }

    /// <summary>Test hook: announce a new IFSC with S(IFS request) before the next response.</summary>
    /// <param name="ifsc">The new IFSC.</param>
    public void RequestIfsBeforeNextResponse(int ifsc) => _ifsBeforeResponse = ifsc;

    /// <summary>Test hook: answer the next chained command block with S(ABORT request).</summary>
    public void AbortNextChain() => _abortNextChain = true;

    /// <inheritdoc />
    public void PowerOnReset()
    {
        ResetInterface();
        _processor.Reset();
    }

    /// <inheritdoc />
    public int HandleFrame(ReadOnlySpan<byte> frame, Span<byte> output)
    {
        int length = Answer(frame);
        _out.AsSpan(0, length).CopyTo(output);
        return length;
    }

    private int Answer(ReadOnlySpan<byte> frame)
    {
        GpFrameStatus status = GpFrameStatus.LengthMismatch;
        if (frame.Length <= _in.Length)
        {
            frame.CopyTo(_in);
            status = GpFrameCodec.Check(_in, 0, frame.Length);
        }

        if (status != GpFrameStatus.Valid || _in[0] != GpFrameCodec.HostToSeNad)
        {
            // ISO/IEC 7816-3 §11.6.3.2 rule 7.1: a bad block is answered with R(N(R) expected, error).
            BadFramesReceived++;
            return IsActivated ? RBlock(status == GpFrameStatus.CrcError ? GpRBlockError.Crc : GpRBlockError.Other) : 0;
        }

        byte pcb = _in[1];
        var inf = _in.AsSpan(GpFrameCodec.PrologueLength, GpFrameCodec.InformationLength(_in, 0));
        if (T1Pcb.IsSBlock(pcb))
        {
            return GpPcb.IsSResponse(pcb) ? OnSResponse(GpPcb.SType(pcb), inf) : OnSRequest(GpPcb.SType(pcb), inf);
        }

        if (!IsActivated)
        {
            return 0;
        }

        return T1Pcb.IsRBlock(pcb) ? OnRBlock(GpPcb.ReceiveSequence(pcb)) : OnIBlock(pcb, inf);
    }

    private int OnSRequest(GpSBlockType type, ReadOnlySpan<byte> inf)
    {
        SRequestsReceived.Add(type);
        switch (type)
        {
            case GpSBlockType.Resynch:
                ResetSequence();
                IsActivated = true;
                return SBlock(type, []);
            case GpSBlockType.Cip:
                IsActivated = true;
                return SBlock(type, _cip);
            case GpSBlockType.Ifs:
                int ifsd = GpFrameCodec.DecodeIfs(inf.ToArray(), 0, inf.Length);
                if (ifsd < 0)
                {
                    return RBlock(GpRBlockError.Other);
                }

                Ifsd = ifsd;
                return SBlock(type, inf);
            case GpSBlockType.Abort:
                _commandLength = 0;
                return SBlock(type, []);
            case GpSBlockType.SoftwareReset:
                ResetInterface();
                _processor.Reset();
                IsActivated = true;
                return SBlock(type, []);
            case GpSBlockType.Release:
                return SBlock(type, []);
            default:
                return RBlock(GpRBlockError.Other);
        }
    }

    private int OnSResponse(GpSBlockType type, ReadOnlySpan<byte> inf)
    {
        if (_pendingSLength == 0 || GpPcb.SType(_pendingS[1]) != type)
        {
            return RBlock(GpRBlockError.Other);
        }

        _pendingSLength = 0;
        if (type == GpSBlockType.Abort)
        {
            // The chain is dropped; the host speaks next.
            _commandLength = 0;
            return 0;
        }

        if (type == GpSBlockType.Ifs)
        {
            Ifsc = GpFrameCodec.DecodeIfs(inf.ToArray(), 0, inf.Length);
        }

        return ContinueResponse();
    }

    private int OnRBlock(int nr)
    {
        if (_pendingSLength > 0)
        {
            Retransmissions++;
            return Copy(_pendingS, _pendingSLength);
        }

        if (_lastILength > 0)
        {
            if (nr == _lastINs)
            {
                // Rule 7.6 / 7.4: the host did not get our last I-block.
                Retransmissions++;
                return Copy(_lastI, _lastILength);
            }

            if (_lastIMore)
            {
                // Rule 2.2: R(N(R) = next N(S)) acknowledges our chained block.
                return NextChunk();
            }
        }

        // Nothing to repeat but our acknowledgement: tell the host which I-block we expect.
        return RBlock(GpRBlockError.None);
    }

    private int OnIBlock(byte pcb, ReadOnlySpan<byte> inf)
    {
        if (GpPcb.SendSequence(pcb) != _expectedNs || inf.Length > Ifsc || _commandLength + inf.Length > _command.Length)
        {
            return RBlock(GpRBlockError.Other);
        }

        _expectedNs ^= 1;
        _lastILength = 0;
        inf.CopyTo(_command.AsSpan(_commandLength));
        _commandLength += inf.Length;
        if (GpPcb.HasMore(pcb))
        {
            if (_abortNextChain)
            {
                _abortNextChain = false;
                return PendingS(GpSBlockType.Abort, []);
            }

            return RBlock(GpRBlockError.None);
        }

        _responseLength = _processor.Process(_command.AsSpan(0, _commandLength), _response);
        _responseSent = 0;
        _commandLength = 0;
        CommandsProcessed++;
        return ContinueResponse();
    }

    private int ContinueResponse()
    {
        if (_ifsBeforeResponse > 0)
        {
            byte[] value = new byte[2];
            int n = GpFrameCodec.EncodeIfs(_ifsBeforeResponse, value, 0);
            _ifsBeforeResponse = 0;
            return PendingS(GpSBlockType.Ifs, value.AsSpan(0, n));
        }

        if (_wtxBeforeResponse > 0)
        {
            _wtxBeforeResponse--;
            WtxRequestsSent++;
            return PendingS(GpSBlockType.Wtx, [_wtxMultiplier]);
        }

        return NextChunk();
    }

    private int NextChunk()
    {
        int count = Math.Min(Ifsd, _responseLength - _responseSent);
        bool more = _responseSent + count < _responseLength;
        _lastINs = _ns;
        _lastIMore = more;
        _lastILength = GpFrameCodec.Encode(GpFrameCodec.SeToHostNad, GpPcb.IBlock(_ns, more), _response, _responseSent, count, _lastI, 0);
        _ns ^= 1;
        _responseSent += count;
        return Copy(_lastI, _lastILength);
    }

    private int PendingS(GpSBlockType type, ReadOnlySpan<byte> inf)
    {
        _pendingSLength = GpFrameCodec.Encode(GpFrameCodec.SeToHostNad, GpPcb.SBlock(type, false), inf.ToArray(), 0, inf.Length, _pendingS, 0);
        return Copy(_pendingS, _pendingSLength);
    }

    private int SBlock(GpSBlockType type, ReadOnlySpan<byte> inf) =>
        GpFrameCodec.Encode(GpFrameCodec.SeToHostNad, GpPcb.SBlock(type, true), inf.ToArray(), 0, inf.Length, _out, 0);

    private int RBlock(GpRBlockError error) =>
        GpFrameCodec.Encode(GpFrameCodec.SeToHostNad, GpPcb.RBlock(_expectedNs, error), null, 0, 0, _out, 0);

    private int Copy(byte[] frame, int length)
    {
        Array.Copy(frame, _out, length);
        return length;
    }

    private void ResetSequence()
    {
        _expectedNs = 0;
        _ns = 0;
        _commandLength = 0;
        _responseLength = 0;
        _responseSent = 0;
        _lastILength = 0;
        _pendingSLength = 0;
    }

    private void ResetInterface()
    {
        ResetSequence();
        IsActivated = false;
        Ifsc = _options.Ifsc;
        Ifsd = _options.DefaultIfsd;
    }
}
