using System.Buffers.Binary;

namespace NanoAgent.Host.Diag;

/// <summary>
/// A classic libpcap file (tcpdump.org "pcap savefile format"): a 24-byte global header (magic 'a1b2c3d4' written in the
/// host's byte order, here little-endian; version 2.4; time zone 0; sigfigs 0; snap length 65535; link type), then per packet
/// a 16-byte record header (seconds, microseconds, captured length, original length) and the bytes.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    /// <summary>The largest packet kept whole; longer ones are cut (the record keeps the original length).</summary>
    public const int SnapLength = 65535;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly byte[] _record = new byte[16];

    /// <summary>Writes the global header to a stream.</summary>
    /// <param name="stream">Where the capture goes.</param>
    /// <param name="linkType">The LINKTYPE_ value of every packet.</param>
    /// <param name="ownsStream">Whether disposing closes the stream.</param>
    public PcapWriter(Stream stream, uint linkType, bool ownsStream)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], SnapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], linkType);
        _stream.Write(header);
    }

    /// <summary>Appends one packet.</summary>
    /// <param name="time">When it was seen.</param>
    /// <param name="packet">Its bytes (including any link-layer pseudo-header).</param>
    public void Write(DateTimeOffset time, ReadOnlySpan<byte> packet)
    {
        long micros = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        int captured = Math.Min(packet.Length, SnapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(_record, (uint)(micros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(_record.AsSpan(4), (uint)(micros % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(_record.AsSpan(8), (uint)captured);
        BinaryPrimitives.WriteUInt32LittleEndian(_record.AsSpan(12), (uint)packet.Length);
        _stream.Write(_record);
        _stream.Write(packet[..captured]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Flush();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }
}
