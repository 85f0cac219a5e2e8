using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.T1.Gp;

namespace NanoAgent.Drivers.Tests.T1.Gp;

/// <summary>A host <see cref="GpT1Protocol"/> wired to a virtual GP T=1' SE (echo card) over a virtual I2C or SPI bus.</summary>
internal sealed class GpBench
{
    public GpBench(bool spi, int ifsc = 254, GpT1Options? options = null, Action<GpT1ResponderOptions>? configure = null)
    {
        var cardOptions = new GpT1ResponderOptions { PhysicalLayer = spi ? GpPhysicalLayer.Spi : GpPhysicalLayer.I2c, Ifsc = ifsc };
        configure?.Invoke(cardOptions);
        Card = new GpT1Responder(Echo, cardOptions);
        if (spi)
        {
            var target = new VirtualSpiTarget(Card);
            Target = target.Target;
            Link = new FaultyLink(new SpiFrameLink(target, ownsBus: false));
        }
        else
        {
            var target = new VirtualI2cTarget(Card);
            Target = target.Target;
            Link = new FaultyLink(new I2cFrameLink(target, ownsBus: false));
        }

        Host = new GpT1Protocol(Link, Clock, options ?? new GpT1Options());
    }

    public VirtualClock Clock { get; } = new();

    public EchoProcessor Echo { get; } = new();

    public GpT1Responder Card { get; }

    public VirtualTarget Target { get; }

    public FaultyLink Link { get; }

    public GpT1Protocol Host { get; }

    public BusFaults Faults => Target.Faults;

    /// <summary>Builds a case 4 APDU (extended when needed) whose data the echo card sends back.</summary>
    public static byte[] EchoApdu(byte[] data)
    {
        if (data.Length <= 255)
        {
            return [0x00, 0x10, 0x00, 0x00, (byte)data.Length, .. data, 0x00];
        }

        return [0x00, 0x10, 0x00, 0x00, 0x00, (byte)(data.Length >> 8), (byte)data.Length, .. data, 0x00, 0x00];
    }

    public static byte[] Pattern(int length, int seed = 0) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + seed)).ToArray();

    /// <summary>Sends an APDU through the host and returns the response.</summary>
    public byte[] Send(byte[] apdu, int responseCapacity = 70000)
    {
        var response = new byte[responseCapacity];
        int n = Host.Transceive(apdu, 0, apdu.Length, response, 0);
        return response[..n];
    }

    /// <summary>Sends an echo APDU and asserts the data and 9000 come back intact.</summary>
    public void AssertEcho(byte[] data)
    {
        byte[] response = Send(EchoApdu(data));
        Assert.Equal([.. data, 0x90, 0x00], response);
    }
}

/// <summary>A link wrapper that can corrupt or replace what the host receives, for faults the virtual bus cannot make.</summary>
internal sealed class FaultyLink(IFrameLink inner) : IFrameLink
{
    public string Description => inner.Description;

    public bool AnswersFillerWhenBusy => inner.AnswersFillerWhenBusy;

    /// <summary>Gets or sets a filter: when it returns true for a received INF+CRC read, a byte of it is flipped.</summary>
    public Func<byte[], int, bool>? CorruptRead { get; set; }

    /// <summary>Gets or sets a source of garbage: when set, every receive returns its bytes instead of the bus's.</summary>
    public Random? Garbage { get; set; }

    public int Calls { get; private set; }

    public BusTransferStatus Send(byte[] buffer, int offset, int count)
    {
        Calls++;
        return inner.Send(buffer, offset, count);
    }

    public BusTransferStatus Receive(byte[] buffer, int offset, int count)
    {
        if (++Calls > 200_000)
        {
            throw new InvalidOperationException("The host does not stop polling.");
        }

        if (Garbage != null)
        {
            Garbage.NextBytes(buffer.AsSpan(offset, count));
            int pick = Garbage.Next(10);
            return pick == 0 ? BusTransferStatus.AddressNotAcknowledged : pick == 1 ? BusTransferStatus.PartialTransfer : BusTransferStatus.FullTransfer;
        }

        BusTransferStatus status = inner.Receive(buffer, offset, count);
        if (offset == GpFrameCodec.PrologueLength && CorruptRead != null && CorruptRead(buffer, count))
        {
            buffer[offset + count - 1] ^= 0x40;
        }

        return status;
    }
}
