using NanoAgent.Drivers.T1;

namespace NanoAgent.Host.Tests.Wireshark;

/// <summary>Builds block-protocol frames with their CRC-16/X-25: SE05x (UM11225, low byte first) and GP T=1' (GPC_SPE_172, high byte first).</summary>
public static class T1Frames
{
    public static byte[] Se05x(byte nad, byte pcb, string inf = "")
    {
        byte[] data = Hex.Parse(inf);
        byte[] frame = [nad, pcb, (byte)data.Length, .. data, 0, 0];
        ushort crc = Crc16X25.Compute(frame, 0, frame.Length - 2);
        frame[^2] = (byte)crc;
        frame[^1] = (byte)(crc >> 8);
        return frame;
    }

    public static byte[] Gp(byte nad, byte pcb, string inf = "")
    {
        byte[] data = Hex.Parse(inf);
        byte[] frame = [nad, pcb, (byte)(data.Length >> 8), (byte)data.Length, .. data, 0, 0];
        ushort crc = Crc16X25.Compute(frame, 0, frame.Length - 2);
        frame[^2] = (byte)(crc >> 8);
        frame[^1] = (byte)crc;
        return frame;
    }
}
