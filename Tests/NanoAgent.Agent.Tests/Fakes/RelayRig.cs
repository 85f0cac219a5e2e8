using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tenants;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>
/// A virtual GP card with one SSD per tenant (acme, beta and gamma; their tenants file still names the old channels 1, 2
/// and 0, which are ignored: each session takes a free channel), the tenant registry, a relay store and a relay, all in memory.
/// </summary>
public sealed class RelayRig
{
    public const string AcmeSd = "F06E616E6F534401";
    public const string BetaSd = "F06E616E6F534402";
    public const string GammaSd = "F06E616E6F534403";

    /// <summary>GET DATA IIN (GPC v2.3.1 §11.3, tag '42') on channel 1, proprietary class: answers 42 04 6E616E6F 9000.</summary>
    public const string GetIinCh1 = "81CA004200";

    /// <summary>The device id the relay's verifier binds into every request MAC.</summary>
    public const string Device = "dev1";

    /// <summary>The request key version every rig tenant's SD holds (docs/protocol.md §3.9).</summary>
    public const byte RequestKeyVersion = 0x60;

    public RelayRig(IRelayStore? store = null, RelayOptions? options = null, CardManagerOptions? cardOptions = null)
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
                Domain = new SecurityDomainData { KeySets = [RequestKeySet(aid == AcmeSd ? "acme" : aid == BetaSd ? "beta" : "gamma")] },
            });
        }

        Card = new CardManager(state, cardOptions);
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

    /// <summary>Gets the transport the request verifier talks to the card through (its own log, so step logs stay exact).</summary>
    public CardTransport VerifierTransport => _verifierTransport ??= new CardTransport(Card);

    private CardTransport? _verifierTransport;

    /// <summary>A tenant's request key (fixed per tenant id, so tests can sign without the rig).</summary>
    public static byte[] RequestKey(string tenant) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes("request-key:" + tenant))[..16];

    /// <summary>A tenant's request key as the key set its SD holds.</summary>
    public static KeySetRecord RequestKeySet(string tenant, byte keyVersion = RequestKeyVersion) =>
        KeySetRecord.Create(keyVersion, RequestKey(tenant), RequestKey(tenant), RequestKey(tenant));

    /// <summary>A signer with a tenant's request key, for <paramref name="device"/>.</summary>
    public static RequestSigner Signer(string tenant, string device = Device, string? keyOf = null) =>
        new(NanoAgent.Drivers.Host.Crypto.BouncyCastleAesFactory.Instance.CreateAes(RequestKey(keyOf ?? tenant), 0, 16), RequestKeyVersion, device, tenant);

    /// <summary>An interactive APDU request of a tenant, authenticated, encoded and decoded like one from the wire.</summary>
    public static ApduRequest Apdu(string tenant, string session, int sequence, string? apdu, bool end = false) =>
        ScriptMessageCodec.DecodeApduRequest(Signer(tenant).Sign(new ApduRequest
        {
            ScriptId = System.Text.Encoding.ASCII.GetBytes(session), Sequence = sequence, Command = apdu is null ? null : Hex.Parse(apdu), End = end,
        }));

    /// <summary>A new relay on the same card and store, as after a reboot of the agent (the card keeps running).</summary>
    public ScriptRelay NewRelay()
    {
        Listener = new RecordingListener();
        Relay = new ScriptRelay(Tenants, Store, Transport, Clock, Options, new SeRequestVerifier(VerifierTransport, Device, 255)) { Listener = Listener };
        return Relay;
    }

    public static ScriptStep Step(string apdu, ushort sw = 0x9000, ushort mask = 0xFFFF, bool cont = false, bool data = false) =>
        new(Hex.Parse(apdu), sw, mask, cont, data);

    /// <summary>A batch request, authenticated with the tenant's request key, encoded and decoded like one from the wire.</summary>
    public static ScriptRequest Script(string tenant, ulong counter, string id, string sd, params ScriptStep[] steps) =>
        ScriptMessageCodec.DecodeScriptRequest(Signer(tenant).Sign(new ScriptRequest
        {
            ScriptId = System.Text.Encoding.ASCII.GetBytes(id),
            TenantId = tenant,
            Counter = counter,
            TargetAid = Hex.Parse(sd),
            Mode = steps.Length == 0 ? ScriptMode.Interactive : ScriptMode.Batch,
            Steps = steps,
        }));
}
