using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Host.Bus;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.Drivers.T1.Se05x;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Platform;
using NanoAgent.VirtualSe.Se05x;

namespace NanoAgent.Host.Se;

/// <summary>
/// An opened link to an SE, virtual or real: the block protocol plus an <see cref="ApduChannel"/> that handles
/// GET RESPONSE, 6Cxx and chaining.
/// </summary>
public sealed class SeConnection : IDisposable
{
    private readonly IDisposable? _bus;

    private SeConnection(ISeTransport transport, string busDescription, VirtualSecureElement? virtualSe, IDisposable? bus)
    {
        Transport = transport;
        BusDescription = busDescription;
        Virtual = virtualSe;
        _bus = bus;
        Channel = new ApduChannel(transport, 65535, 65536, 32);
    }

    /// <summary>Gets the block protocol.</summary>
    public ISeTransport Transport { get; }

    /// <summary>Gets the APDU channel over the block protocol.</summary>
    public ApduChannel Channel { get; }

    /// <summary>Gets a description of the bus, such as "virtual I2C 0x48" or "/dev/i2c-1 0x48".</summary>
    public string BusDescription { get; }

    /// <summary>Gets the virtual SE, or null on real hardware.</summary>
    public VirtualSecureElement? Virtual { get; }

    /// <summary>Creates the transport for a target without opening the protocol.</summary>
    /// <param name="target">Where the SE is.</param>
    /// <param name="trace">Where to report every frame, or null.</param>
    /// <param name="platformScp">For the virtual SE: platform SCP03 on the card side (the host side is
    /// <see cref="NanoAgent.Drivers.Scp03.PlatformScp03Transport"/>); null: off. Ignored on real hardware.</param>
    /// <returns>The connection; call <see cref="ISeTransport.Open"/> on <see cref="Transport"/>.</returns>
    /// <exception cref="HostBusException">The bus device cannot be opened.</exception>
    /// <exception cref="ArgumentException">The protocol name or the protocol/bus pair is unknown, or the SE05x card on GP.</exception>
    /// <exception cref="NanoAgent.VirtualSe.State.CardStateException">The virtual SE's state file is corrupt, or holds an SE05x
    /// card of another applet version than <see cref="SeTarget.AppletMajor"/>.</exception>
    public static SeConnection Create(SeTarget target, IFrameTraceSink? trace = null, PlatformScpOptions? platformScp = null)
    {
        string protocol = target.EffectiveProtocol;
        if (protocol != "se05x" && protocol != "gp")
        {
            throw new ArgumentException($"unknown protocol '{protocol}': use se05x or gp");
        }

        if (protocol == "se05x" && target.IsSpi)
        {
            throw new ArgumentException("the SE05x T=1oI2C protocol runs on I2C only: drop --spi or use --protocol gp");
        }

        if (target.IsVirtual)
        {
            VirtualSeProtocol kind = target.IsSpi ? VirtualSeProtocol.GpSpi
                : protocol == "gp" ? VirtualSeProtocol.GpI2c : VirtualSeProtocol.Se05xI2c;
            string? dir = Path.GetDirectoryName(target.StatePath);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }

            var vse = CreateVirtual(target, kind, null, platformScp);
            string where = target.IsSpi ? "virtual SPI" : $"virtual I2C 0x{vse.I2c!.Address:X2}";
            var clock = new VirtualClock();
            return new SeConnection(CreateTransport(protocol, Traced(vse.Link, trace, clock), clock), where, vse, null);
        }

        if (target.IsSpi)
        {
            var spi = LinuxSpiBus.Open(target.SpiBus!, target.SpiClockHz);
            IFrameLink link = Traced(new SpiFrameLink(spi, ownsBus: false), trace, SystemClock.Instance);
            return new SeConnection(new GpT1Protocol(link, SystemClock.Instance, new GpT1Options()), $"{target.SpiBus} at {target.SpiClockHz / 1000} kHz", null, spi);
        }

        var i2c = LinuxI2cBus.Open(target.I2cBus!, target.Address);
        IFrameLink i2cLink = Traced(new I2cFrameLink(i2c, ownsBus: false), trace, SystemClock.Instance);
        ISeTransport transport = CreateTransport(protocol, i2cLink, SystemClock.Instance);
        return new SeConnection(transport, $"{target.I2cBus} 0x{target.Address:X2}", null, i2c);
    }

    /// <summary>Creates the virtual SE a target names: the GP card, or the SE05x card (SE05x T=1 over I2C only).</summary>
    /// <param name="target">The target.</param>
    /// <param name="kind">Protocol and bus.</param>
    /// <param name="bus">Bus behaviour, or null.</param>
    /// <param name="platformScp">Platform SCP03 on the card side, or null.</param>
    /// <returns>The virtual SE.</returns>
    /// <exception cref="ArgumentException">The SE05x card on GP.</exception>
    /// <exception cref="NanoAgent.VirtualSe.State.CardStateException">The state file is corrupt, or holds an SE05x card of
    /// another applet version than <see cref="SeTarget.AppletMajor"/>.</exception>
    public static VirtualSecureElement CreateVirtual(SeTarget target, VirtualSeProtocol kind, VirtualBusOptions? bus, PlatformScpOptions? platformScp)
    {
        if (!target.IsSe05xCard)
        {
            return VirtualSecureElement.Create(kind, target.StatePath, bus, platformScp);
        }

        if (kind != VirtualSeProtocol.Se05xI2c)
        {
            throw new ArgumentException("the SE05x card speaks SE05x T=1 over I2C only: drop --spi and --protocol gp, or use --card gp");
        }

        // A real SE05x always has its platform (card manager) keys: the virtual one keeps them in <state>.platform-keys.json
        // (made with KVN 0B on first use), required only when the caller (the agent) says so.
        var vse = VirtualSecureElement.Create(
            VirtualSeCard.Se05x, kind, target.StatePath, bus, platformScp ?? new PlatformScpOptions { RequirePlatformScp = false },
            new Se05xCardOptions { AppletMajor = target.AppletMajor ?? 3 });
        if (target.AppletMajor is { } major && vse.Se05x!.AppletMajor != major)
        {
            throw new NanoAgent.VirtualSe.State.CardStateException(
                NanoAgent.VirtualSe.State.CardStateError.Invalid,
                $"{vse.Se05x.Store.Path}: this virtual SE05x carries applet {vse.Se05x.AppletMajor}.x; delete the file to make an applet {major}.x card");
        }

        return vse;
    }

    /// <summary>Creates the host side of a protocol ("se05x" or "gp") over a link it does not own.</summary>
    /// <param name="protocol">The protocol name.</param>
    /// <param name="link">The link.</param>
    /// <param name="clock">The clock.</param>
    /// <returns>The transport, not yet opened.</returns>
    public static ISeTransport CreateTransport(string protocol, IFrameLink link, IClock clock) => protocol == "gp"
        ? new GpT1Protocol(link, clock, new GpT1Options())
        : new Se05xT1Protocol(link, clock, new Se05xT1Options(), ownsLink: false);

    /// <summary>Wraps a link in a <see cref="TracingFrameLink"/> when a trace is wanted.</summary>
    /// <param name="link">The link.</param>
    /// <param name="trace">The trace sink, or null.</param>
    /// <param name="clock">The clock for timestamps.</param>
    /// <returns>The link to use.</returns>
    public static IFrameLink Traced(IFrameLink link, IFrameTraceSink? trace, IClock clock) =>
        trace is null ? link : new TracingFrameLink(link, trace, clock);

    /// <summary>Sends one APDU through the channel.</summary>
    /// <param name="command">The command APDU.</param>
    /// <returns>The response APDU (data and status word).</returns>
    /// <exception cref="ApduException">The APDU is malformed or the card's answer is.</exception>
    /// <exception cref="BlockProtocolException">The link failed.</exception>
    public byte[] Send(byte[] command)
    {
        var response = new byte[65538];
        int n = Channel.Transmit(command, 0, command.Length, response, 0);
        return response.AsSpan(0, n).ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Transport.Dispose();
        _bus?.Dispose();
    }
}
