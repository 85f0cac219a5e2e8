using NanoAgent.Agent.Gating;

namespace NanoAgent.Host.Tests.Gate;

/// <summary>
/// The card behind a gating suite, so one suite runs on both (docs/se05x.md): the GP card with nanoAgent's gate applet
/// (<see cref="TenantCard"/>: one gate key per tenant) or the SE05x with NXP's IoT applet alone (<see cref="Se05xTenantCard"/>:
/// a reading key and a command key per tenant). Tenants "a" and "b" each have a gate.
/// </summary>
internal sealed class GateTestCard
{
    private readonly TenantCard? _gp;
    private readonly Se05xTenantCard? _se05x;

    private GateTestCard(string card)
    {
        if (card == "se05x")
        {
            _se05x = new Se05xTenantCard();
            Card = GateCard.Se05x;
            Tenants.Add("a", new Se05xReadingGate(_se05x.Applet, Se05xTenantCard.LabelA, Se05xTenantCard.AuthA));
            Tenants.Add("b", new Se05xReadingGate(_se05x.Applet, Se05xTenantCard.LabelB, Se05xTenantCard.AuthB));
        }
        else
        {
            _gp = new TenantCard();
            Card = GateCard.GateApplet;
            Tenants.Add("a", new GateAppletClient(_gp, TenantCard.GateA, false));
            Tenants.Add("b", new GateAppletClient(_gp, TenantCard.GateB, false));
        }
    }

    /// <summary>The card names a suite's theories take.</summary>
    public static TheoryData<string> Cards => new() { "gp", "se05x" };

    public GateCard Card { get; }

    public GateTenants Tenants { get; } = new();

    /// <summary>The first reading counter a fresh gate gives: 1 on the gate applet; epoch 1, sequence 1 on the SE05x.</summary>
    public ulong FirstCounter => Card == GateCard.Se05x ? (1UL << 32) | 1 : 1;

    public static GateTestCard Create(string card) => new(card);

    public byte[] Label(string tenant) => tenant == "a" ? TenantCard.GateA : TenantCard.GateB;

    public byte[] ReadingKey(string tenant) => _gp is not null
        ? (tenant == "a" ? TenantCard.MacKeyA : TenantCard.MacKeyB)
        : (tenant == "a" ? Se05xTenantCard.ReadingKeyA : Se05xTenantCard.ReadingKeyB);

    public byte[] CommandKey(string tenant) => _gp is not null
        ? (tenant == "a" ? TenantCard.MacKeyA : TenantCard.MacKeyB)
        : (tenant == "a" ? Se05xTenantCard.CommandKeyA : Se05xTenantCard.CommandKeyB);

    /// <summary>The SE loses its RAM (a reset the agent did not see).</summary>
    public void Reset()
    {
        if (_gp is not null)
        {
            _gp.Card.Reset();
        }
        else
        {
            _se05x!.Card.Reset();
        }
    }

    /// <summary>
    /// The counter of the next reading after <see cref="Reset"/>, given the last before it: the gate applet jumps past its saved
    /// reservation (docs/gating.md, Counters); on the SE05x the agent selects the applet again and its RAM sequence goes on
    /// (the epoch goes up only when the agent starts).
    /// </summary>
    public ulong CounterAfterReset(ulong last) => _gp is not null ? (ulong)NanoAgent.VirtualSe.Gate.GateApplet.ReadingCounterBlock + 1 : last + 1;
}
