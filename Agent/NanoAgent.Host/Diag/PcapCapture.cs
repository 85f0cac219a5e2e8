using System.Buffers.Binary;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Host.Diag;

/// <summary>
/// <c>--trace-file x.pcap</c>: the SE traffic as two classic pcap files.
/// <list type="bullet">
/// <item><c>x.pcap</c>, the APDUs: each command and each response is one packet, put back together from the T=1 I-blocks
/// (chains joined, a repeated N(S) — a retransmission — dropped). Link type 264, LINKTYPE_ISO_14443, the only pcap link type
/// whose dissector hands APDUs to Wireshark's ISO 7816 dissector (packet-iso7816.c registers only as a "Decode As" target of
/// the ISO 14443 and USB CCID payloads; it has no link type of its own). Each packet is the 4-byte pseudo-header of
/// Wireshark's epan/dissectors/packet-iso14443.c (version 0, event byte, 2-byte big-endian length of what follows) with event
/// 'FA' "data PCD→PICC, CRC dropped" for commands and 'FB' "data PICC→PCD, CRC dropped" for responses, then an ISO 14443-4
/// I-block: PCB '02'|block number, the APDU. In Wireshark: Analyze › Decode As… › ISO14443 payload subdissector › ISO 7816
/// (tshark: <c>-d iso14443.subdissector,iso7816</c>); packet-iso7816.c sets "Interface → Card" for commands.</item>
/// <item><c>x.frames.pcap</c>, the raw T=1 frames as they crossed the bus: link type 147 (LINKTYPE_USER0), one direction byte
/// ('00' host→SE, '01' SE→host) then the frame from NAD to CRC.</item>
/// </list>
/// </summary>
public sealed class PcapCapture : IFrameCapture
{
    /// <summary>LINKTYPE_ISO_14443 (tcpdump.org link-layer header types).</summary>
    public const uint IsoLinkType = 264;

    /// <summary>LINKTYPE_USER0: private use, here direction byte + raw T=1 frame.</summary>
    public const uint FramesLinkType = 147;

    private const byte EventCommand = 0xFA;
    private const byte EventResponse = 0xFB;
    private readonly PcapWriter _apdus;
    private readonly PcapWriter _frames;
    private readonly int _prologue;
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
    private readonly List<byte>[] _chain = [[], []];
    private readonly int[] _lastNs = [-1, -1];
    private long _firstMs = -1;
    private int _blockNumber;

    /// <summary>Creates the two files.</summary>
    /// <param name="path">The APDU capture; the frames go next to it with ".frames.pcap" instead of ".pcap".</param>
    /// <param name="protocol">"se05x" (1-byte LEN) or "gp" (2-byte LEN).</param>
    /// <exception cref="IOException">A file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">A file cannot be created.</exception>
    public PcapCapture(string path, string protocol)
    {
        _prologue = protocol == "gp" ? 4 : 3;
        FramesPath = FramesPathFor(path);
        _apdus = new PcapWriter(File.Create(path), IsoLinkType, ownsStream: true);
        _frames = new PcapWriter(File.Create(FramesPath), FramesLinkType, ownsStream: true);
    }

    /// <summary>Gets where the raw frames go.</summary>
    public string FramesPath { get; }

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
        raw[0] = direction == FrameDirection.HostToSe ? (byte)0 : (byte)1;
        frame.CopyTo(raw.AsSpan(1));
        _frames.Write(time, raw);
        if (frame.Length < _prologue + 2)
        {
            return;
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
        if ((pcb & 0x20) != 0)
        {
            return; // M bit: more of this APDU follows
        }

        WriteApdu(time, d == 0 ? EventCommand : EventResponse, _chain[d]);
        _chain[d].Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _apdus.Dispose();
        _frames.Dispose();
    }

    private void WriteApdu(DateTimeOffset time, byte eventByte, List<byte> apdu)
    {
        // packet-iso14443.c pseudo-header: version, event, length (big-endian) of the ISO 14443 frame that follows.
        byte[] packet = new byte[4 + 1 + apdu.Count];
        packet[1] = eventByte;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)Math.Min(packet.Length - 4, ushort.MaxValue));
        packet[4] = (byte)(0x02 | _blockNumber); // ISO 14443-4 §7.1.1.1: I-block, no chaining, no CID, no NAD
        apdu.CopyTo(packet, 5);
        _apdus.Write(time, packet);
        if (eventByte == EventResponse)
        {
            _blockNumber ^= 1; // the next command toggles the block number, as a PCD does
        }
    }
}
