using System.Security.Cryptography;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Se05x;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Se05x;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Se05x;
using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>
/// The virtual SE05x (IoT applet only) behind the real relay, in memory (docs/se05x.md): the owner's authentication object
/// and request key put over the local link at set-up (the bootstrap), tenants registered as authentication objects, the
/// SE05x request verifier, and an in-process backend (<see cref="Open"/>) that runs a tenant's applet-level SCP03 through
/// the relay's sessions as a real backend does over MQTT.
/// </summary>
public sealed class Se05xCardRig
{
    public const uint Owner = 0x7A000000;
    public const uint Acme = 0x7A0A0000;
    public const uint Beta = 0x7A0B0000;
    public const string Device = RelayRig.Device;
    public static readonly string AppletAid = Hex.Of(Tenant.AppletAid());

    private ulong _counter;

    public Se05xCardRig(int appletMajor = 3, IRelayStore? store = null, RelayOptions? options = null)
    {
        Card = new Se05xCard(Se05xStateStore.InMemory(appletMajor), new Se05xCardOptions { AppletMajor = appletMajor });
        Transport = new CardTransport(Card);
        Applet = new Se05xApplet(Transport, 65535);
        Bootstrap();
        Tenants = TenantRegistry.Parse($"owner se05x {Owner:X8}\nacme se05x {Acme:X8} 4096\nbeta se05x {Beta:X8}\n"); // acme has a byte limit, as on the GP rig
        Store = store ?? new InMemoryRelayStore(16);
        // The applet's limits unless a test sets its own.
        Options = options ?? new RelayOptions { MaxCommandData = Applet.MaxCommandData, MaxResponseData = 1024 };
        Options.OwnerTenantId ??= "owner";
        Verifier = new Se05xRequestVerifier(Applet, Device, Clock, Se05xRequestVerifier.DefaultStreamsPerDay, Se05xRequestVerifier.DefaultStreamBurst);
        Relay = NewRelay();
    }

    public Se05xCard Card { get; }

    public CardTransport Transport { get; }

    public Se05xApplet Applet { get; }

    public TenantRegistry Tenants { get; }

    public RelayOptions Options { get; }

    public IRelayStore Store { get; }

    public VirtualClock Clock { get; } = new();

    public Se05xRequestVerifier Verifier { get; }

    public ScriptRelay Relay { get; private set; }

    public RecordingListener Listener { get; private set; } = new();

    /// <summary>A new relay over the same SE and store (the agent restarted), with a new listener.</summary>
    public ScriptRelay NewRelay()
    {
        Listener = new RecordingListener();
        Applet.Forget();
        Relay = new ScriptRelay(Tenants, Store, Transport, Clock, Options, Verifier, Applet) { Listener = Listener };
        return Relay;
    }

    public Se05xTenantOnboarding Onboarding { get; } = new();

    /// <summary>A tenant's first authentication key, known to the owner that created its object (fixed per tenant id).</summary>
    public static byte[] AuthKey(string tenant) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes("auth-key:" + tenant))[..16];

    /// <summary>A key for any other purpose (gate keys, rotated keys), fixed per label.</summary>
    public static byte[] Key(string label) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes("key:" + label))[..16];

    public static uint AuthOf(string tenant) => tenant == "owner" ? Owner : tenant == "acme" ? Acme : Beta;

    /// <summary>Builds a command with one of the onboarding builders.</summary>
    public static byte[] Build(Func<byte[], int> build)
    {
        byte[] buffer = new byte[1100];
        return buffer[..build(buffer)];
    }

    /// <summary>Takes the next request counter (every tenant's requests share one increasing sequence here).</summary>
    public ulong NextCounter() => ++_counter;

    /// <summary>Opens an interactive relay session for a tenant and authenticates its applet session with <paramref name="key"/>.</summary>
    public TenantSession Open(string tenant, byte[]? key = null)
    {
        var session = new TenantSession(this, tenant, System.Text.Encoding.ASCII.GetBytes("s" + _counter), ++_counter);
        session.Authenticate(key ?? AuthKey(tenant));
        return session;
    }

    /// <summary>Opens a relay session without authenticating (for the refusals and failed attempts).</summary>
    public TenantSession OpenPlain(string tenant) => new(this, tenant, System.Text.Encoding.ASCII.GetBytes("p" + _counter), ++_counter);

    /// <summary>The owner creates a tenant's authentication object and first request key (version 60) in its session.</summary>
    public void Onboard(string tenant)
    {
        using TenantSession owner = Open("owner");
        uint auth = AuthOf(tenant);
        Assert.Equal(0x9000, owner.Sw(Build(b => Onboarding.CreateAuthObject(auth, AuthKey(tenant), 0, b, 0))));
        Assert.Equal(0x9000, owner.Sw(Build(b => Onboarding.CreateRequestKey(auth, RelayRig.RequestKeyVersion, RelayRig.RequestKey(tenant), 0, b, 0))));
    }

    /// <summary>The tenant creates its gate objects in its own session: reading and command keys, epoch and command counters,
    /// attestation key; plus one data object of its own (a binary file at offset 10).</summary>
    public void SetUpGate(string tenant)
    {
        using TenantSession t = Open(tenant);
        uint auth = AuthOf(tenant);
        Assert.Equal(0x9000, t.Sw(Build(b => Onboarding.CreateReadingKey(auth, Key(tenant + "-reading"), 0, b, 0))));
        Assert.Equal(0x9000, t.Sw(Build(b => Onboarding.CreateCommandKey(auth, Key(tenant + "-command"), 0, b, 0))));
        Assert.Equal(0x9000, t.Sw(Build(b => Onboarding.CreateEpochCounter(auth, b, 0))));
        Assert.Equal(0x9000, t.Sw(Build(b => Onboarding.CreateCommandCounter(auth, b, 0))));
        Assert.Equal(0x9000, t.Sw(Build(b => Onboarding.CreateAttestationKey(auth, b, 0))));
        byte[] policy = new byte[Se05xPolicy.EntryLength];
        Se05xPolicy.WriteEntry(auth, Se05xPolicy.AllowRead | Se05xPolicy.AllowWrite | Se05xPolicy.AllowDelete, policy, 0);
        Assert.Equal(0x9000, t.Sw(Hex.Parse($"80010600{(9 + 2 + 6 + 4 + 4 + 6):X2}1109{Hex.Of(policy)}4104{DataObject(tenant):X8}42020000430200044404{Hex.Of(System.Text.Encoding.ASCII.GetBytes(tenant[..4]))}")));
    }

    /// <summary>The tenant's own binary file (offset 10 of its block).</summary>
    public static uint DataObject(string tenant) => AuthOf(tenant) | 0x10;

    // The bench: over the local link, in the applet's default session, the owner's authentication object and request key.
    private void Bootstrap()
    {
        foreach (byte[] apdu in new[]
        {
            Build(b => Onboarding.CreateAuthObject(Owner, AuthKey("owner"), 0, b, 0)),
            Build(b => Onboarding.CreateRequestKey(Owner, RelayRig.RequestKeyVersion, RelayRig.RequestKey("owner"), 0, b, 0)),
        })
        {
            byte[] response = new byte[300];
            int n = Applet.Transceive(apdu, 0, apdu.Length, response, 0);
            Assert.Equal("9000", Hex.Of(response, n - 2, 2));
        }
    }

    /// <summary>
    /// A tenant's backend, in process: an interactive relay session (E1 then E2s, each authenticated with the tenant's request
    /// key) carrying the tenant's applet-level SCP03 (<see cref="Se05xAppletScp03"/>), as <c>backend run</c> does over MQTT.
    /// </summary>
    public sealed class TenantSession : IDisposable
    {
        private readonly Se05xCardRig _rig;
        private readonly string _tenant;
        private readonly byte[] _id;
        private int _sequence;
        private Se05xAppletScp03? _scp;

        public TenantSession(Se05xCardRig rig, string tenant, byte[] id, ulong counter)
        {
            _rig = rig;
            _tenant = tenant;
            _id = id;
            rig.Relay.Submit(tenant, RelayRig.Script(tenant, counter, System.Text.Encoding.ASCII.GetString(id), AppletAid));
            Opening = rig.Listener.Responses.Count > 0 && rig.Listener.LastResponse.ScriptId.AsSpan().SequenceEqual(id) ? rig.Listener.LastResponse : null;
        }

        /// <summary>Gets the relay's answer to the opening (sequence 0), or null when it refused it.</summary>
        public ApduResponse? Opening { get; }

        /// <summary>Gets the last refusal of the relay, or None.</summary>
        public RejectReason LastReason { get; private set; }

        public void Authenticate(byte[] key)
        {
            Assert.NotNull(Opening);
            _scp = new Se05xAppletScp03(BouncyCastleAesFactory.Instance, key, 0);
            byte[] buffer = new byte[64];
            byte[] iu = buffer[.._scp.BuildInitializeUpdate(RandomNumberGenerator.GetBytes(8), 0, buffer, 0)];
            byte[] rsp = Forward(iu)!;
            _scp.ProcessInitializeUpdateResponse(rsp, 0, rsp.Length);
            byte[] ea = buffer[.._scp.BuildExternalAuthenticate(buffer, 0)];
            rsp = Forward(ea)!;
            _scp.ProcessExternalAuthenticateResponse(rsp, 0, rsp.Length);
        }

        /// <summary>Sends a plain command wrapped in the tenant's SCP03; returns the unwrapped answer.</summary>
        public byte[] Send(byte[] plain)
        {
            byte[] buffer = new byte[2048];
            byte[] wrapped = buffer[.._scp!.WrapCommand(plain, 0, plain.Length, buffer, 0, out _)];
            byte[]? rsp = Forward(wrapped);
            Assert.True(rsp is not null, $"the relay refused a wrapped step: {LastReason}");
            byte[] output = new byte[rsp!.Length + 2];
            return output[.._scp.UnwrapResponse(rsp, 0, rsp.Length, output, 0)];
        }

        public ushort Sw(byte[] plain)
        {
            byte[] answer = Send(plain);
            return (ushort)((answer[^2] << 8) | answer[^1]);
        }

        /// <summary>Sends an APDU as it is (no SCP03): the relay's answer, or null when it refused it (<see cref="LastReason"/>).</summary>
        public byte[]? Forward(byte[] apdu)
        {
            int before = _rig.Listener.Responses.Count;
            _rig.Relay.Forward(_tenant, RelayRig.Apdu(_tenant, System.Text.Encoding.ASCII.GetString(_id), ++_sequence, Hex.Of(apdu)));
            ApduResponse response = _rig.Listener.Responses.Skip(before).Last(r => r.Response.ScriptId.AsSpan().SequenceEqual(_id)).Response;
            LastReason = response.Reason;
            if (response.Reason != RejectReason.None)
            {
                _sequence--;
                return null;
            }

            return response.Response;
        }

        public void Dispose()
        {
            if (_rig.Relay.OpenSessionCount > 0)
            {
                _rig.Relay.Forward(_tenant, RelayRig.Apdu(_tenant, System.Text.Encoding.ASCII.GetString(_id), ++_sequence, null, end: true));
            }
        }
    }
}
