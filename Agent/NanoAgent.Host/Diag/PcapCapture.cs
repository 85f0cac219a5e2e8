using System.Buffers.Binary;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Host.Diag;

/// <summary>
/// <c>--trace-file x.pcap</c>: the SE traffic as two classic pcap files, decoded in Wireshark by the Lua dissector
/// shipped next to the binary (<c>Wireshark/nanoagent.lua</c>).
/// <list type="bullet">
/// <item><c>x.frames.pcap</c>, the raw frames as they crossed the bus: link type 147 (LINKTYPE_USER0), one pseudo-header
/// byte (bit 0 the direction, 0 host→SE and 1 SE→host; bits 4-7 the <see cref="CaptureProtocol"/>), then the frame from
/// NAD to CRC. Captures from before the protocol nibble have 00/01 there; the dissector guesses their protocol.</item>
/// <item><c>x.pcap</c>, the APDUs: each command and each response is one packet, put back together from the I-blocks
/// whose LEN and CRC are right (chains joined, a repeated N(S) — a retransmission — dropped). With
/// <see cref="PcapApduLink.NanoAgent"/>: link type 148 (LINKTYPE_USER1), the same pseudo-header byte, a byte counting the
/// I-blocks that carried the APDU, then the APDU. With <see cref="PcapApduLink.Iso14443"/>: link type 264
/// (LINKTYPE_ISO_14443) and the 4-byte pseudo-header of Wireshark's epan/dissectors/packet-iso14443.c (version 0, event
/// 'FA' "data PCD→PICC, CRC dropped" for commands or 'FB' for responses, 2-byte big-endian length), then an ISO 14443-4
/// I-block (PCB '02'|block number, the APDU), for Wireshark's own ISO 7816 dissector through Analyze › Decode As… ›
/// ISO14443 payload subdissector › ISO 7816 (tshark: <c>-d iso14443.subdissector,iso7816</c>); packet-iso7816.c registers
/// only as such a target and has no link type of its own.</item>
/// </list>
/// </summary>
public sealed class PcapCapture : IFrameCapture
{
    /// <summary>LINKTYPE_ISO_14443 (tcpdump.org link-layer header types).</summary>
    public const uint IsoLinkType = 264;

    /// <summary>LINKTYPE_USER0: private use, here the pseudo-header byte + raw block-protocol frame.</summary>
    public const uint FramesLinkType = 147;

    /// <summary>LINKTYPE_USER1: private use, here the pseudo-header byte, the I-block count and the APDU.</summary>
    public const uint ApduLinkType = 148;

    private const byte EventCommand = 0xFA;
    private const byte EventResponse = 0xFB;
    private readonly PcapWriter _apdus;
    private readonly PcapWriter _frames;
    private readonly CaptureProtocol _protocol;
    private readonly PcapApduLink _link;
    private readonly int _prologue;
    private readonly bool _gp;
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
    private readonly List<byte>[] _chain = [[], []];
    private readonly int[] _blocks = [0, 0];
    private readonly int[] _lastNs = [-1, -1];
    private long _firstMs = -1;
    private int _blockNumber;

    /// <summary>Creates the two files.</summary>
    /// <param name="path">The APDU capture; the frames go next to it with ".frames.pcap" instead of ".pcap".</param>
    /// <param name="protocol">The block protocol, recorded in every packet.</param>
    /// <param name="link">The APDU capture's link type.</param>
    /// <exception cref="IOException">A file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">A file cannot be created.</exception>
    public PcapCapture(string path, CaptureProtocol protocol, PcapApduLink link = PcapApduLink.NanoAgent)
    {
        _protocol = protocol;
        _link = link;
        _gp = protocol is CaptureProtocol.GpI2c or CaptureProtocol.GpSpi;
        _prologue = _gp ? 4 : 3;
        FramesPath = FramesPathFor(path);
        _apdus = new PcapWriter(File.Create(path), link == PcapApduLink.Iso14443 ? IsoLinkType : ApduLinkType, ownsStream: true);
        _frames = new PcapWriter(File.Create(FramesPath), FramesLinkType, ownsStream: true);
    }

    /// <summary>Gets where the raw frames go.</summary>
    public string FramesPath { get; }

    /// <summary>Names the capture protocol of a command line's protocol and bus.</summary>
    /// <param name="protocol">"se05x" or "gp".</param>
    /// <param name="spi">True on SPI.</param>
    /// <returns>The protocol.</returns>
    public static CaptureProtocol ProtocolOf(string protocol, bool spi) =>
        protocol != "gp" ? CaptureProtocol.Se05xI2c : spi ? CaptureProtocol.GpSpi : CaptureProtocol.GpI2c;

    /// <summary>The pseudo-header byte of a packet: the direction in bit 0, the protocol in bits 4-7.</summary>
    /// <param name="direction">Which way it went.</param>
    /// <param name="protocol">The block protocol.</param>
    /// <returns>The byte.</returns>
    public static byte HeaderByte(FrameDirection direction, CaptureProtocol protocol) =>
        (byte)(((byte)protocol << 4) | (direction == FrameDirection.HostToSe ? 0 : 1));

    /// <summary>Says where the raw frames of an APDU capture go: "x.pcap" → "x.frames.pcap".</summary>
    /// <param name="path">The APDU capture's path.</param>
    /// <returns>The frames capture's path.</returns>
    public static string FramesPathFor(string path) =>
        (path.EndsWith(".pcap", StringComparison.OrdinalIgnoreCase) ? path[..^5] : path) + ".frames.pcap";

    /// <summary>Tells whether a trace file name asks for pcap (it ends in ".pcap").</summary>
    /// <param name="path">The path.</param>
    /// <returns>True for pcap.</returns>
    public static bool IsPcapPath(string path) => path.EndsWith(".pcap", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public void OnFrame(FrameDirection direction, ReadOnlySpan<byte> frame, long milliseconds)
    {
        if (_firstMs < 0)
        {
            _firstMs = milliseconds;
        }

        DateTimeOffset time = _start.AddMilliseconds(milliseconds - _firstMs);
        byte[] raw = new byte[frame.Length + 1];
        raw[0] = HeaderByte(direction, _protocol);
        frame.CopyTo(raw.AsSpan(1));
        _frames.Write(time, raw);
        if (!FrameDecoder.IsIntact(_gp ? "gp" : "se05x", frame))
        {
            return; // a corrupt frame is answered with R(error) and sent again: the good copy is taken then
        }

        byte pcb = frame[1];
        int d = direction == FrameDirection.HostToSe ? 0 : 1;
        if (T1Pcb.IsSBlock(pcb))
        {
            int type = pcb & 0x0F;
            if (type is 0x0 or 0x6 or 0xF)
            {
                // RESYNCH (ISO 7816-3 §11.6.3.2), chip reset / RELEASE and interface soft reset / SWR start the sequence
                // numbers again; WTX, IFS and the others come between blocks and change nothing here.
                _lastNs[0] = _lastNs[1] = -1;
                _chain[0].Clear();
                _chain[1].Clear();
                _blocks[0] = _blocks[1] = 0;
            }

            return;
        }

        if (!T1Pcb.IsIBlock(pcb))
        {
            return;
        }

        int ns = (pcb >> 6) & 1;
        if (ns == _lastNs[d])
        {
            return; // the same N(S) again: a retransmission of the block already taken
        }

        _lastNs[d] = ns;
        _chain[d].AddRange(frame[_prologue..^2]);
        _blocks[d]++;
        if ((pcb & 0x20) != 0)
        {
            return; // M bit: more of this APDU follows
        }

        WriteApdu(time, direction, _chain[d], _blocks[d]);
        _chain[d].Clear();
        _blocks[d] = 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _apdus.Dispose();
        _frames.Dispose();
    }

    private void WriteApdu(DateTimeOffset time, FrameDirection direction, List<byte> apdu, int blocks)
    {
        if (_link == PcapApduLink.NanoAgent)
        {
            byte[] own = new byte[2 + apdu.Count];
            own[0] = HeaderByte(direction, _protocol);
            own[1] = (byte)Math.Min(blocks, 255);
            apdu.CopyTo(own, 2);
            _apdus.Write(time, own);
            return;
        }

        // packet-iso14443.c pseudo-header: version, event, length (big-endian) of the ISO 14443 frame that follows.
        bool command = direction == FrameDirection.HostToSe;
        byte[] packet = new byte[4 + 1 + apdu.Count];
        packet[1] = command ? EventCommand : EventResponse;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)Math.Min(packet.Length - 4, ushort.MaxValue));
        packet[4] = (byte)(0x02 | _blockNumber); // ISO 14443-4 §7.1.1.1: I-block, no chaining, no CID, no NAD
        apdu.CopyTo(packet, 5);
        _apdus.Write(time, packet);
        if (!command)
        {
            _blockNumber ^= 1; // the next command toggles the block number, as a PCD does
        }
    }
}
