using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.Drivers.T1.Se05x;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.T1.Gp;
using NanoAgent.VirtualSe.T1.Se05x;

namespace NanoAgent.Host.Bench;

/// <summary>
/// One host block-protocol stack over a virtual bus to a card of the caller's choice, with a <see cref="MeteredLink"/>
/// between them and the frame bytes the target reports (host frames after faults, SE answers) counted.
/// </summary>
public sealed class BenchStack : IDisposable
{
    /// <summary>Creates and opens the stack.</summary>
    /// <param name="protocol">Protocol and bus.</param>
    /// <param name="card">The card behind the block protocol.</param>
    /// <param name="busyPolls">Reads the SE refuses as busy after each frame (the virtual bus default is 1).</param>
    public BenchStack(VirtualSeProtocol protocol, IApduProcessor card, int busyPolls = 1)
    {
        Protocol = protocol;
        var options = new VirtualBusOptions { BusyPolls = busyPolls };
        IBlockResponder responder = protocol == VirtualSeProtocol.Se05xI2c
            ? new Se05xT1Responder(card)
            : new GpT1Responder(card, new GpT1ResponderOptions
            {
                PhysicalLayer = protocol == VirtualSeProtocol.GpSpi ? GpPhysicalLayer.Spi : GpPhysicalLayer.I2c,
            });
        IFrameLink link;
        if (protocol == VirtualSeProtocol.GpSpi)
        {
            var spi = new VirtualSpiTarget(responder, options);
            Target = spi.Target;
            link = new SpiFrameLink(spi, ownsBus: false);
        }
        else
        {
            var i2c = new VirtualI2cTarget(responder, options);
            Target = i2c.Target;
            link = new I2cFrameLink(i2c, ownsBus: false);
        }

        Link = new MeteredLink(link);
        Target.HostFrame += f => HostFrameBytes += f.Length;
        Target.SeFrame += f => SeFrameBytes += f.Length;
        Transport = protocol == VirtualSeProtocol.Se05xI2c
            ? new Se05xT1Protocol(Link, Clock, new Se05xT1Options(), ownsLink: false)
            : new GpT1Protocol(Link, Clock, new GpT1Options());
        Transport.Open();
    }

    /// <summary>Gets the protocol and bus.</summary>
    public VirtualSeProtocol Protocol { get; }

    /// <summary>Gets the virtual clock the host stack polls with (no real sleeps).</summary>
    public VirtualClock Clock { get; } = new();

    /// <summary>Gets the bus target: faults and busy counters.</summary>
    public VirtualTarget Target { get; }

    /// <summary>Gets the metered link the host stack uses.</summary>
    public MeteredLink Link { get; }

    /// <summary>Gets the opened host transport.</summary>
    public ISeTransport Transport { get; }

    /// <summary>Gets the bytes of every frame the host wrote, as the SE received them.</summary>
    public long HostFrameBytes { get; private set; }

    /// <summary>Gets the bytes of every answer frame the SE made available.</summary>
    public long SeFrameBytes { get; private set; }

    /// <summary>Gets the bytes of a frame's prologue and epilogue: NAD PCB LEN(1) CRC(2) on SE05x, NAD PCB LEN(2) CRC(2) on GP.</summary>
    public int FrameOverhead => Protocol == VirtualSeProtocol.Se05xI2c ? 5 : 6;

    /// <summary>Clears every counter.</summary>
    public void ResetCounters()
    {
        Link.Reset();
        HostFrameBytes = 0;
        SeFrameBytes = 0;
    }

    /// <inheritdoc />
    public void Dispose() => Transport.Dispose();
}
