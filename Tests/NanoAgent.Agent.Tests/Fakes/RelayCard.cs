using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>
/// The card behind a relay suite, so one suite runs on both (docs/se05x.md): the GP card with its security domains and the
/// request verifier applet (<see cref="RelayRig"/>), or the SE05x with NXP's IoT applet alone, where tenants are
/// authentication objects onboarded by the owner and requests are verified with MACOneShot (<see cref="Se05xCardRig"/>).
/// Tenants "acme" and "beta" exist on both, with the request keys of <see cref="RelayRig.RequestKey"/>.
/// </summary>
public sealed class RelayCard
{
    private readonly int _tenantCommandsBefore;
    private readonly int _verificationsBefore;

    private RelayCard(string card, IRelayStore? store, RelayOptions? options)
    {
        Name = card;
        if (card == "se05x")
        {
            // The owner's onboarding runs with the applet's limit; a test's own limit applies from then on (the relay reads it live).
            int? wanted = options?.MaxCommandData;
            if (options is not null)
            {
                options.MaxCommandData = 892;
            }

            Se05x = new Se05xCardRig(3, store, options);
            Se05x.Onboard("acme");
            Se05x.Onboard("beta");
            if (wanted is int limit)
            {
                Se05x.Options.MaxCommandData = limit;
            }
        }
        else
        {
            Gp = new RelayRig(store, options);
        }

        _tenantCommandsBefore = TenantCommandsNow;
        _verificationsBefore = VerificationsNow;
    }

    /// <summary>The card names a suite's theories take.</summary>
    public static TheoryData<string> Cards => new() { "gp", "se05x" };

    public string Name { get; }

    public RelayRig? Gp { get; }

    public Se05xCardRig? Se05x { get; }

    public ScriptRelay Relay => Gp?.Relay ?? Se05x!.Relay;

    public IRelayStore Store => Gp?.Store ?? Se05x!.Store;

    public RecordingListener Listener => Gp?.Listener ?? Se05x!.Listener;

    public NanoAgent.Agent.Tenants.TenantRegistry Tenants => Gp?.Tenants ?? Se05x!.Tenants;

    /// <summary>The APDUs that reached a tenant's session since the rig was made (GP: the tenants' channels; SE05x: CreateSession
    /// and ProcessSessionCmd, i.e. anything but the agent's own default-session commands).</summary>
    public int TenantCommands => TenantCommandsNow - _tenantCommandsBefore;

    /// <summary>The times the SE was asked to verify a request MAC since the rig was made.</summary>
    public int Verifications => VerificationsNow - _verificationsBefore;

    /// <summary>A command a fresh session of the tenant accepts as a step (any status word expected): GP GET DATA IIN, SE05x
    /// GetRandom (which an unauthenticated applet session refuses, as expected).</summary>
    public string HarmlessApdu => Gp is not null ? RelayRig.GetIinCh1 : "800400490441020010";

    /// <summary>Every command sent into a tenant's session (GP: the sessions' transport; SE05x: CreateSession and
    /// ProcessSessionCmd, not the agent's own default-session commands such as request verification).</summary>
    public IEnumerable<byte[]> TenantLog => Gp is not null
        ? Gp.Transport.Log
        : Se05x!.Transport.Log.Where(c => c.Length > 3 && c[0] == 0x80 && (c[1] == 0x05 || (c[1] == 0x04 && c[3] == 0x1B)));

    private int TenantCommandsNow => TenantLog.Count();

    private int VerificationsNow => Gp is not null ? Gp.VerifierTransport.Log.Count(c => c[1] == 0x3A) : Se05x!.Verifier.OneShots + Se05x.Verifier.Streamed;

    public static RelayCard Create(string card, IRelayStore? store = null, RelayOptions? options = null) => new(card, store, options);

    /// <summary>An INITIALIZE UPDATE as the tenant's backend sends it (GP: to its SD; SE05x: inside its applet session).</summary>
    public string InitializeUpdate => Gp is not null ? "8250000008010203040506070800" : "80500000080102030405060708";

    /// <summary>An EXTERNAL AUTHENTICATE with a made-up cryptogram and C-MAC.</summary>
    public string ExternalAuthenticate => Gp is not null ? "86823300100102030405060708090A0B0C0D0E0F10" : "84823300100102030405060708090A0B0C0D0E0F10";

    /// <summary>The SE's last answer to a request verification: GP the VERIFY REQUEST's status word, SE05x the MACOneShot
    /// validate's whole answer (TLV[TAG_1] result and status word).</summary>
    public string LastVerifyAnswer
    {
        get
        {
            if (Gp is not null)
            {
                int last = Gp.VerifierTransport.Log.FindLastIndex(c => c[1] == 0x3A);
                return Hex.Of(Gp.VerifierTransport.Answers[last][^2..]);
            }

            int at = Se05x!.Transport.Log.FindLastIndex(c => Hex.Of(c).StartsWith("80030D46", StringComparison.Ordinal));
            return Hex.Of(Se05x.Transport.Answers[at]);
        }
    }

    /// <summary>The verification answer to a MAC made with a wrong key: GP '6982'; SE05x result '02' (not verified).</summary>
    public string WrongMacAnswer => Gp is not null ? "6982" : "4101029000";

    public VirtualClock Clock => Gp?.Clock ?? Se05x!.Clock;

    public CardTransport Transport => Gp?.Transport ?? Se05x!.Transport;

    /// <summary>The answer to a session's opening (sequence 0): GP the SD's FCI (GPC v2.3.1 §11.9.3.1), SE05x the applet's
    /// SELECT answer (version, AppletConfig, secure box).</summary>
    public string OpeningAnswer(string tenant) => Gp is not null
        ? "6F108408" + Target(tenant) + "A5049F6501FF9000"
        : Hex.Of(Se05x!.Card.VersionBytes) + "9000";

    /// <summary>Whether a command is the agent's end of a session: GP MANAGE CHANNEL close, SE05x CloseSession in the session.</summary>
    public bool EndsSession(byte[] command) => Gp is not null
        ? Hex.Of(command).StartsWith("007080", StringComparison.Ordinal)
        : Hex.Of(command).StartsWith("80050000", StringComparison.Ordinal) && Hex.Of(command).Contains("8004001C", StringComparison.Ordinal);

    /// <summary>Cuts the power after the SE ran the next command of a tenant's session (GP: the next command on the session's
    /// transport; SE05x: after the agent's MACOneShot that verifies the request, the ProcessSessionCmd).</summary>
    public void CutAtNextTenantCommand() => Transport.FailAt = Transport.Commands + (Gp is not null ? 1 : 2);

    /// <summary>The status word the SE gives <see cref="HarmlessApdu"/> in a fresh session: GP '9000'; SE05x '6982' (the applet
    /// session is not authenticated yet).</summary>
    public ushort HarmlessSw => Gp is not null ? (ushort)0x9000 : (ushort)0x6982;

    /// <summary>A step the SE refuses in a fresh session, with <see cref="FailingSw"/>: GP an INS the SD does not know; SE05x
    /// GetRandom before the applet session is authenticated.</summary>
    public string FailingApdu => Gp is not null ? "813C0000080102030405060708" : "800400490441020010";

    public ushort FailingSw => Gp is not null ? (ushort)0x6D00 : (ushort)0x6982;

    /// <summary>Another allowed command, distinct from the others (GP GET DATA CIN; SE05x CheckObjectExists).</summary>
    public string OtherApdu => Gp is not null ? "81CA004500" : "8004002706410400000001";

    /// <summary>A target that is not the tenant's (GP another tenant's SD; SE05x anything but the IoT applet).</summary>
    public string OtherTarget => Gp is not null ? RelayRig.BetaSd : RelayRig.AcmeSd;

    /// <summary>A step with <paramref name="dataBytes"/> bytes of data the card's rules allow (GP STORE DATA; SE05x WRITE).</summary>
    public string ApduWithData(int dataBytes) => (Gp is not null ? "80E29000" : "80010000") + dataBytes.ToString("X2") + new string('A', 2 * dataBytes);

    /// <summary>Commands a session costs besides its steps: GP MANAGE CHANNEL open, SELECT, close; SE05x CreateSession, CloseSession.</summary>
    public int SessionOverhead => Gp is not null ? 3 : 2;

    /// <summary>A new relay over the same SE and store (the agent restarted).</summary>
    public void NewRelay()
    {
        if (Gp is not null)
        {
            Gp.NewRelay();
        }
        else
        {
            Se05x!.NewRelay();
        }
    }

    /// <summary>The script target of a tenant: its SD (GP) or the IoT applet (SE05x).</summary>
    public string Target(string tenant) => Gp is not null ? (tenant == "acme" ? RelayRig.AcmeSd : RelayRig.BetaSd) : Se05xCardRig.AppletAid;

    /// <summary>A harmless step that completes whatever the SE answers.</summary>
    public ScriptStep Harmless() => RelayRig.Step(HarmlessApdu, 0x9000, 0x0000);

    /// <summary>A tenant's batch request, authenticated with its request key.</summary>
    public ScriptRequest Script(string tenant, ulong counter, string id, params ScriptStep[] steps) => RelayRig.Script(tenant, counter, id, Target(tenant), steps);
}
