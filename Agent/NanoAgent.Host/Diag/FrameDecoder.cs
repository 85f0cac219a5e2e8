using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.Drivers.T1.Se05x;

namespace NanoAgent.Host.Diag;

/// <summary>
/// Decodes one whole block-protocol frame into words: direction from the NAD, PCB meaning, LEN, INF and CRC check.
/// SE05x frames per UM11225 (1-byte LEN, CRC low byte first); GP frames per GPC_SPE_172 §4.1 (2-byte LEN, CRC high byte first).
/// </summary>
public static class FrameDecoder
{
    /// <summary>INF bytes shown before the hex is cut short.</summary>
    public const int MaxInfShown = 32;

    /// <summary>Decodes a frame.</summary>
    /// <param name="protocol">"se05x" or "gp".</param>
    /// <param name="frame">The frame bytes.</param>
    /// <returns>A line such as "host→SE S(RESYNCH request) LEN 0 CRC ok".</returns>
    public static string Decode(string protocol, ReadOnlySpan<byte> frame)
    {
        bool gp = protocol == "gp";
        int header = gp ? GpFrameCodec.PrologueLength : Se05xFrameCodec.HeaderLength;
        if (frame.Length < header + 2)
        {
            return $"{Nad(gp, frame.Length > 0 ? frame[0] : -1)} truncated frame ({frame.Length} bytes)";
        }

        byte pcb = frame[1];
        int len = gp ? (frame[2] << 8) | frame[3] : frame[2];
        string text = $"{Nad(gp, frame[0])} {Pcb(gp, pcb)} LEN {len}";
        int available = frame.Length - header - 2;
        if (len != available)
        {
            return text + $" but {Math.Max(available, 0)} INF bytes present: length mismatch";
        }

        if (len > 0)
        {
            ReadOnlySpan<byte> inf = frame.Slice(header, len);
            text += " INF " + (len > MaxInfShown ? Convert.ToHexString(inf[..MaxInfShown]) + $"… (+{len - MaxInfShown})" : Convert.ToHexString(inf));
        }

        byte[] copy = frame.ToArray();
        ushort crc = Crc16X25.Compute(copy, 0, header + len);
        int received = gp ? (frame[header + len] << 8) | frame[header + len + 1] : frame[header + len] | (frame[header + len + 1] << 8);
        return text + (crc == received ? " CRC ok" : $" CRC BAD (expected {crc:X4})");
    }

    /// <summary>Tells whether a frame's LEN matches the bytes present and its CRC is right.</summary>
    /// <param name="protocol">"se05x" (CRC low byte first) or "gp" (high byte first).</param>
    /// <param name="frame">The frame, NAD to CRC.</param>
    /// <returns>True when the frame is intact.</returns>
    public static bool IsIntact(string protocol, ReadOnlySpan<byte> frame)
    {
        bool gp = protocol == "gp";
        int header = gp ? GpFrameCodec.PrologueLength : Se05xFrameCodec.HeaderLength;
        if (frame.Length < header + 2)
        {
            return false;
        }

        int len = gp ? (frame[2] << 8) | frame[3] : frame[2];
        if (len != frame.Length - header - 2)
        {
            return false;
        }

        ushort crc = Crc16X25.Compute(frame.ToArray(), 0, frame.Length - 2);
        int received = gp ? (frame[^2] << 8) | frame[^1] : frame[^2] | (frame[^1] << 8);
        return crc == received;
    }

    private static string Nad(bool gp, int nad) => (gp, nad) switch
    {
        (false, Se05xFrameCodec.NadHostToSe) or (true, GpFrameCodec.HostToSeNad) => "host→SE",
        (false, Se05xFrameCodec.NadSeToHost) or (true, GpFrameCodec.SeToHostNad) => "SE→host",
        (_, < 0) => "(empty)",
        _ => $"NAD {nad:X2}?",
    };

    /// <summary>Describes a PCB (ISO/IEC 7816-3 §11.3.2.2 coding, shared by both protocols).</summary>
    /// <param name="gp">True for GP T=1' S-block names, false for SE05x.</param>
    /// <param name="pcb">The PCB.</param>
    /// <returns>Such as "I(N(S)=1 M=0)", "R(N(R)=0 CRC error)" or "S(WTX response)".</returns>
    public static string Pcb(bool gp, byte pcb)
    {
        if (T1Pcb.IsIBlock(pcb))
        {
            return $"I(N(S)={(pcb >> 6) & 1} M={(pcb >> 5) & 1})";
        }

        if (T1Pcb.IsRBlock(pcb))
        {
            string error = (pcb & 0x0F) switch
            {
                0 => "ack",
                1 => "CRC error",
                2 => "other error",
                int e => $"error {e}",
            };
            return $"R(N(R)={(pcb >> 4) & 1} {error})";
        }

        string kind = (pcb & 0x20) != 0 ? "response" : "request";
        return $"S({SName(gp, pcb & 0x1F)} {kind})";
    }

    private static string SName(bool gp, int type) => gp
        ? (GpSBlockType)type switch
        {
            GpSBlockType.Resynch => "RESYNCH",
            GpSBlockType.Ifs => "IFS",
            GpSBlockType.Abort => "ABORT",
            GpSBlockType.Wtx => "WTX",
            GpSBlockType.Cip => "CIP",
            GpSBlockType.Release => "RELEASE",
            GpSBlockType.SoftwareReset => "SWR",
            _ => $"type {type:X2}",
        }
        : (Se05xSBlockType)type switch
        {
            Se05xSBlockType.Resynch => "RESYNCH",
            Se05xSBlockType.Ifs => "IFS",
            Se05xSBlockType.Abort => "ABORT",
            Se05xSBlockType.Wtx => "WTX",
            Se05xSBlockType.EndOfApduSession => "END OF APDU SESSION",
            Se05xSBlockType.ChipReset => "CHIP RESET",
            Se05xSBlockType.GetAtr => "GET ATR",
            Se05xSBlockType.InterfaceSoftReset => "INTERFACE SOFT RESET",
            _ => $"type {type:X2}",
        };
}
