using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1.Se05x;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.T1.Se05x;

namespace NanoAgent.Drivers.Tests.T1.Se05x;

/// <summary>Host protocol wired to the virtual SE05x over the virtual I2C bus, with frame traces.</summary>
internal sealed class Se05xRig
{
    public Se05xRig(int ifsc = 254, Se05xT1Options? options = null, int busyPolls = 1)
    {
        Responder = new Se05xT1Responder(Card, new Se05xResponderOptions { Ifsc = ifsc });
        Target = new VirtualI2cTarget(Responder, new VirtualBusOptions { BusyPolls = busyPolls });
        Target.Target.HostFrame += f => HostFrames.Add(f);
        Target.Target.SeFrame += f => SeFrames.Add(f);
        Host = new Se05xT1Protocol(new I2cFrameLink(Target, false), Clock, options, true);
    }

    public VirtualClock Clock { get; } = new();

    public EchoProcessor Card { get; } = new();

    public Se05xT1Responder Responder { get; }

    public VirtualI2cTarget Target { get; }

    public Se05xT1Protocol Host { get; }

    public BusFaults Faults => Target.Target.Faults;

    public List<byte[]> HostFrames { get; } = [];

    public List<byte[]> SeFrames { get; } = [];

    /// <summary>Runs one APDU and returns the response.</summary>
    public byte[] Send(byte[] apdu, int capacity = 70000)
    {
        byte[] response = new byte[capacity];
        int n = Host.Transceive(apdu, 0, apdu.Length, response, 0);
        return response.AsSpan(0, n).ToArray();
    }

    /// <summary>Case 4E command (ISO/IEC 7816-4 §5.1) carrying <paramref name="data"/>, Le = 0000.</summary>
    public static byte[] Case4E(byte[] data)
    {
        var apdu = new List<byte> { 0x80, 0xCA, 0x00, 0x00, 0x00, (byte)(data.Length >> 8), (byte)data.Length };
        apdu.AddRange(data);
        apdu.AddRange(new byte[] { 0x00, 0x00 });
        return apdu.ToArray();
    }

    public static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 3)).ToArray();

    /// <summary>What the echo card answers when it gets <paramref name="data"/> intact.</summary>
    public static byte[] Echo(byte[] data) => [.. data, 0x90, 0x00];

    /// <summary>What a fresh echo card answers <paramref name="apdu"/> directly, without any link.</summary>
    public static byte[] Direct(byte[] apdu)
    {
        byte[] response = new byte[70000];
        int n = new EchoProcessor().Process(apdu, response);
        return response.AsSpan(0, n).ToArray();
    }
}
