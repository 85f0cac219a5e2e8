using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.Drivers.T1.Se05x;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.Gate;
using NanoAgent.VirtualSe.Platform;
using NanoAgent.VirtualSe.Se05x;
using NanoAgent.VirtualSe.Se05x.State;
using NanoAgent.VirtualSe.State;
using NanoAgent.VirtualSe.T1.Gp;
using NanoAgent.VirtualSe.T1.Se05x;

namespace NanoAgent.VirtualSe;

/// <summary>
/// A whole virtual secure element on a virtual bus: persisted card state, the card (the GP card manager, or a virtual
/// NXP SE05x), the card side of the chosen block protocol, and the I2C or SPI target a host stack talks to. What a test
/// or the CLI plugs in where a real SE05x or GP SE would be.
/// </summary>
public sealed class VirtualSecureElement
{
    private readonly CardManager? _card;

    private VirtualSecureElement(
        VirtualSeProtocol protocol, CardManager? card, Se05xCard? se05x, PlatformScpGate? gate, IBlockResponder responder, VirtualBusOptions busOptions)
    {
        Protocol = protocol;
        _card = card;
        Se05x = se05x;
        PlatformGate = gate;
        Responder = responder;
        if (protocol == VirtualSeProtocol.GpSpi)
        {
            var spi = new VirtualSpiTarget(responder, busOptions);
            Spi = spi;
            Target = spi.Target;
            Link = new SpiFrameLink(spi, ownsBus: false);
        }
        else
        {
            var i2c = new VirtualI2cTarget(responder, busOptions);
            I2c = i2c;
            Target = i2c.Target;
            Link = new I2cFrameLink(i2c, ownsBus: false);
        }
    }

    /// <summary>Gets the protocol and bus.</summary>
    public VirtualSeProtocol Protocol { get; }

    /// <summary>Gets the GP card manager (the APDU side of the GP card).</summary>
    /// <exception cref="InvalidOperationException">The virtual SE carries the SE05x card (see <see cref="Se05x"/>).</exception>
    public CardManager Card => _card ?? throw new InvalidOperationException("This virtual SE carries the SE05x card, which has no GP card manager: use Se05x.");

    /// <summary>Gets which card the virtual SE carries.</summary>
    public VirtualSeCard CardKind => Se05x is null ? VirtualSeCard.Gp : VirtualSeCard.Se05x;

    /// <summary>Gets the virtual SE05x, or null on the GP card.</summary>
    public Se05xCard? Se05x { get; }

    /// <summary>Gets the platform SCP03 gate in front of the card manager, or null when platform SCP is off.</summary>
    public PlatformScpGate? PlatformGate { get; }

    /// <summary>Gets the card side of the block protocol (<see cref="GpT1Responder"/> or <see cref="Se05xT1Responder"/>).</summary>
    public IBlockResponder Responder { get; }

    /// <summary>Gets the bus target core: faults to arm, counters, frame events.</summary>
    public VirtualTarget Target { get; }

    /// <summary>Gets the I2C target, or null on SPI.</summary>
    public VirtualI2cTarget? I2c { get; }

    /// <summary>Gets the SPI target, or null on I2C.</summary>
    public VirtualSpiTarget? Spi { get; }

    /// <summary>Gets the host's view of the bus as a frame link.</summary>
    public IFrameLink Link { get; }

    /// <summary>Creates a virtual SE.</summary>
    /// <param name="protocol">Protocol and bus.</param>
    /// <param name="statePath">JSON file holding the card state across restarts; null keeps it in memory.</param>
    /// <param name="busOptions">Bus behaviour; null for defaults.</param>
    /// <param name="platformScp">Platform SCP03 between host and card (see <see cref="PlatformScpGate"/>); null: off.</param>
    /// <param name="gateStore">The gate applet's persistent memory; null: a file next to the state file, or memory without one.</param>
    /// <returns>The virtual SE, powered on.</returns>
    /// <exception cref="CardStateException">The state file is corrupt.</exception>
    /// <exception cref="NanoAgent.Drivers.Host.Keys.PlatformKeyStoreException">The platform key file is unusable.</exception>
    public static VirtualSecureElement Create(
        VirtualSeProtocol protocol, string? statePath = null, VirtualBusOptions? busOptions = null, PlatformScpOptions? platformScp = null,
        IGateStore? gateStore = null)
    {
        CardManager card = statePath is null
            ? new CardManager(CardState.CreateFresh())
            : CardManager.Open(new CardStateStore(statePath));
        GateApplet.Install(card, gateStore ?? (statePath is null ? new InMemoryGateStore() : new GateFileStore(Path.ChangeExtension(statePath, ".gate.json"))));
        PlatformScpGate? gate = platformScp is null ? null : new PlatformScpGate(card, platformScp.ResolveKeys(statePath), platformScp);
        IApduProcessor processor = gate ?? (IApduProcessor)card;
        IBlockResponder responder = protocol == VirtualSeProtocol.Se05xI2c
            ? new Se05xT1Responder(processor)
            : new GpT1Responder(processor, new GpT1ResponderOptions
            {
                PhysicalLayer = protocol == VirtualSeProtocol.GpSpi ? GpPhysicalLayer.Spi : GpPhysicalLayer.I2c,
            });
        return new VirtualSecureElement(protocol, card, null, gate, responder, busOptions ?? new VirtualBusOptions());
    }

    /// <summary>
    /// Creates a virtual SE carrying the chosen card. The SE05x card speaks SE05x T=1 over I2C only; its state is the
    /// document <c>&lt;state&gt;.se05x.json</c> next to <paramref name="statePath"/> (see <see cref="Se05xStateStore.FileFor"/>),
    /// its platform keys are the card manager's (new key files get key version 0B, NXP ex_sss_auth.h), and
    /// <see cref="PlatformScpOptions.RequirePlatformScp"/> becomes the applet's "platform SCP required" state.
    /// </summary>
    /// <param name="card">The card.</param>
    /// <param name="protocol">Protocol and bus.</param>
    /// <param name="statePath">The <c>--state</c> file; null keeps the card in memory.</param>
    /// <param name="busOptions">Bus behaviour; null for defaults.</param>
    /// <param name="platformScp">Platform SCP03; null: off.</param>
    /// <param name="se05x">The SE05x card's options (applet version, sensor bus); ignored for the GP card.</param>
    /// <returns>The virtual SE, powered on.</returns>
    /// <exception cref="ArgumentException">The SE05x card with a GP protocol.</exception>
    /// <exception cref="CardStateException">The state file is corrupt.</exception>
    /// <exception cref="NanoAgent.Drivers.Host.Keys.PlatformKeyStoreException">The platform key file is unusable.</exception>
    public static VirtualSecureElement Create(
        VirtualSeCard card, VirtualSeProtocol protocol, string? statePath = null, VirtualBusOptions? busOptions = null,
        PlatformScpOptions? platformScp = null, Se05xCardOptions? se05x = null)
    {
        if (card == VirtualSeCard.Gp)
        {
            return Create(protocol, statePath, busOptions, platformScp);
        }

        if (protocol != VirtualSeProtocol.Se05xI2c)
        {
            throw new ArgumentException("The SE05x card speaks SE05x T=1 over I2C only.", nameof(protocol));
        }

        Se05xCardOptions options = se05x ?? new Se05xCardOptions();
        if (platformScp is not null && options.PlatformScpRequired is null)
        {
            options = options.WithPlatformScpRequired(platformScp.RequirePlatformScp);
        }

        Se05xStateStore store = statePath is null
            ? Se05xStateStore.InMemory(options.AppletMajor)
            : Se05xStateStore.ForFile(Se05xStateStore.FileFor(statePath), options.AppletMajor);
        var se05xCard = new Se05xCard(store, options);
        PlatformScpGate? gate = null;
        if (platformScp is not null)
        {
            gate = new PlatformScpGate(se05xCard, platformScp.ResolveKeys(statePath, 0x0B), platformScp, new PlatformScpGateSettings
            {
                CardEnforcesRequirement = true,
                MaxCommandData = se05xCard.MaxPayload,
                CountCommandsWithDataOnly = se05xCard.AppletMajor < 4,
                PlainSelectEndsSession = true,
                Random = options.Random,
            });
            se05xCard.PlatformGate = gate;
        }

        var responder = new Se05xT1Responder(gate ?? (IApduProcessor)se05xCard);
        return new VirtualSecureElement(protocol, null, se05xCard, gate, responder, busOptions ?? new VirtualBusOptions());
    }

    /// <summary>Creates the matching host-side protocol on this SE's bus (not yet opened).</summary>
    /// <param name="clock">Clock for polling and guard times; a <see cref="VirtualClock"/> keeps tests instant.</param>
    /// <returns>The host transport.</returns>
    public ISeTransport CreateHostTransport(IClock clock) => Protocol == VirtualSeProtocol.Se05xI2c
        ? new Se05xT1Protocol(Link, clock, new Se05xT1Options(), ownsLink: false)
        : new GpT1Protocol(Link, clock, new GpT1Options());
}
