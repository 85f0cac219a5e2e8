using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tenants;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>
/// A virtual GP card with one SSD per tenant (acme on channel 1, beta on channel 2, gamma on the basic channel),
/// the tenant registry, a relay store and a relay, all in memory.
/// </summary>
public sealed class RelayRig
{
    public const string AcmeSd = "F06E616E6F534401";
    public const string BetaSd = "F06E616E6F534402";
    public const string GammaSd = "F06E616E6F534403";

    /// <summary>GET DATA IIN (GPC v2.3.1 §11.3, tag '42') on channel 1, proprietary class: answers 42 04 6E616E6F 9000.</summary>
    public const string GetIinCh1 = "81CA004200";

    public RelayRig(IRelayStore? store = null, RelayOptions? options = null)
    {
        CardState state = CardState.CreateFresh();
        foreach (string aid in new[] { AcmeSd, BetaSd, GammaSd })
        {
            state.Entries.Add(new RegistryEntry
            {
                Aid = Hex.Parse(aid),
                Kind = RegistryEntryKind.SecurityDomain,
                LifeCycle = EntryLifeCycle.Personalized,
                Privileges = [0x80, 0x00, 0x00],
                AssociatedSecurityDomain = CardState.DefaultIsdAid.ToArray(),
            });
        }

        Card = new CardManager(state);
        Transport = new CardTransport(Card);
        Tenants = TenantRegistry.Parse($"""
            # id     SD AID            channel  max bytes
            acme     {AcmeSd}  1        4096
            beta     {BetaSd}  2
            gamma    {GammaSd}  0        4096
            """);
        Store = store ?? new InMemoryRelayStore(4);
        Options = options ?? new RelayOptions();
        Relay = NewRelay();
    }

    public CardManager Card { get; }

    public CardTransport Transport { get; }

    public TenantRegistry Tenants { get; }

    public IRelayStore Store { get; }

    public RelayOptions Options { get; }

    public VirtualClock Clock { get; } = new();

    public ScriptRelay Relay { get; private set; }

    public RecordingListener Listener { get; private set; } = new();

    /// <summary>A new relay on the same card and store, as after a reboot of the agent (the card keeps running).</summary>
    public ScriptRelay NewRelay()
    {
        Listener = new RecordingListener();
        Relay = new ScriptRelay(Tenants, Store, Transport, Clock, Options) { Listener = Listener };
        return Relay;
    }

    public static ScriptStep Step(string apdu, ushort sw = 0x9000, ushort mask = 0xFFFF, bool cont = false, bool data = false) =>
        new(Hex.Parse(apdu), sw, mask, cont, data);

    /// <summary>A batch request, encoded and decoded like one from the wire.</summary>
    public static ScriptRequest Script(string tenant, uint counter, string id, string sd, params ScriptStep[] steps) =>
        ScriptMessageCodec.DecodeScriptRequest(ScriptMessageCodec.Encode(new ScriptRequest
        {
            ScriptId = System.Text.Encoding.ASCII.GetBytes(id),
            TenantId = tenant,
            Counter = counter,
            TargetAid = Hex.Parse(sd),
            Mode = steps.Length == 0 ? ScriptMode.Interactive : ScriptMode.Batch,
            Steps = steps,
        }));
}
