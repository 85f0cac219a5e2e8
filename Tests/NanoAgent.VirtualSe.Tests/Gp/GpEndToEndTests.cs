using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Tests.Gp;

/// <summary>Tenant flows through the real host stack (ApduChannel, Scp03HostSession, GP builders) and the card manager.</summary>
public sealed class GpEndToEndTests : IDisposable
{
    private static readonly byte[] Isd = CardState.DefaultIsdAid;
    private static readonly byte[] SsdA = Hex.Parse("A0000001515350410A");
    private static readonly byte[] SsdB = Hex.Parse("A0000001515350410B");
    private static readonly byte[] GateA = Hex.Parse("F06E616E6F0101A1");
    private static readonly Scp03StaticKeys KeysA = GpHost.Keys(0x01, 0x10);
    private static readonly Scp03StaticKeys KeysB = GpHost.Keys(0x01, 0x20);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gpcard-" + Guid.NewGuid().ToString("N"));

    private string StatePath => Path.Combine(_dir, "se.json");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    [Fact]
    public void Tenants_InstallPersonaliseIsolateRestart()
    {
        CardManager card = CardManager.Open(new CardStateStore(StatePath));
        var host = new GpHost(card);
        ProvisionTenants(host);

        // Tenant A opens its own SSD with its keys and installs the gate application under it.
        Assert.Equal("9000", host.Open(SsdA, KeysA));
        Assert.Equal("009000", host.Secure(b => GpInstall.BuildForInstallAndMakeSelectable(
            CardState.SampleLoadFileAid, CardState.SampleModuleAid, GateA, [0x00], [], b, 0)));
        string status = host.Secure(b => GpGetStatus.Build(GpGetStatus.Applications, false, [], 0, 0, b, 0));
        Assert.EndsWith("9000", status);
        byte[] data = Hex.Parse(status[..^4]);
        var entries = new GpRegistryEntry[8];
        int count = GpStatusParser.Parse(data, 0, data.Length, entries, 0);
        Assert.Equal(1, count); // A sees only what is associated with it
        Assert.Equal(Hex.Of(GateA), Hex.Of(entries[0].Aid));
        Assert.Equal(Hex.Of(SsdA), Hex.Of(entries[0].AssociatedSecurityDomain!));

        // Isolation: A cannot delete B, install under B's name, or reach B's keys.
        Assert.Equal("6982", host.Secure(b => GpDelete.BuildAid(SsdB, 0, SsdB.Length, true, b, 0)));
        Assert.Equal("6982", host.Secure(b => GpInstall.BuildForPersonalization(SsdB, 0, SsdB.Length, b, 0)));
        Assert.Equal("6982", host.Secure(b => GpSetStatus.BuildEntry(GpSetStatus.ScopeEntry, GpSetStatus.Lock, SsdB, 0, SsdB.Length, b, 0)));
        Assert.Equal("6982", host.Secure(b => GpSetStatus.BuildCard(0x7F, b, 0)));

        // PUT KEY into B from a channel where B is selected but not authenticated: refused.
        var other = new GpHost(card);
        other.Select(SsdB);
        Assert.Equal("6982", other.Plain(b => GpPutKey.Build(KeysA, KeysA, 0x00, b, 0)));

        // Restart: keys, counters and registry survive.
        int counterA = card.State.Find(SsdA)!.Domain!.SequenceCounter;
        CardManager restarted = CardManager.Open(new CardStateStore(StatePath));
        Assert.Equal(counterA, restarted.State.Find(SsdA)!.Domain!.SequenceCounter);
        Assert.NotNull(restarted.State.Find(GateA));
        var again = new GpHost(restarted);
        Assert.Equal("9000", again.Open(SsdB, KeysB));
        Assert.Equal("9000", again.Open(SsdA, KeysA));
        Assert.Equal("009000", again.Secure(b => GpDelete.BuildAid(GateA, 0, GateA.Length, false, b, 0)));
    }

    [Fact]
    public void PrecomputedScript_IsAcceptedBySsd()
    {
        CardManager card = CardManager.Open(new CardStateStore(StatePath));
        var host = new GpHost(card);
        ProvisionTenants(host);

        // The back end knows the next counter value and builds the whole script offline (GP Amd D §6.2.2.1).
        int next = card.State.Find(SsdA)!.Domain!.SequenceCounter + 1;
        byte[] challenge = Hex.Parse("0102030405060708");
        var offline = Scp03HostSession.ForPrecomputed(KeysA, next, SsdA, 0, SsdA.Length, 0x70, challenge, 0);
        var script = new List<byte[]>();
        byte[] buffer = new byte[300];
        script.Add(buffer[..GpSelect.Build(SsdA, 0, SsdA.Length, buffer, 0)]);
        script.Add(buffer[..offline.BuildInitializeUpdate(buffer, 0)]);
        script.Add(buffer[..offline.BuildExternalAuthenticate(0x33, buffer, 0)]);
        byte[] plain = new byte[300];
        int n = GpInstall.BuildForInstallAndMakeSelectable(CardState.SampleLoadFileAid, CardState.SampleModuleAid, GateA, [0x00], [], plain, 0);
        script.Add(buffer[..offline.Wrap(plain, 0, n, buffer, 0)]);

        var replay = new GpHost(card);
        Assert.Equal("9000", replay.Raw(script[0])[^4..]);
        Assert.Equal("9000", replay.Raw(script[1])[^4..]);
        Assert.Equal("9000", replay.Raw(script[2]));
        Assert.EndsWith("9000", replay.Raw(script[3]));
        Assert.Equal(Hex.Of(SsdA), Hex.Of(card.State.Find(GateA)!.AssociatedSecurityDomain!));
    }

    [Fact]
    public void WrongKeys_BlockKeySetAfterThreeFailures_Persisted()
    {
        CardManager card = CardManager.Open(new CardStateStore(StatePath));
        var host = new GpHost(card);
        Scp03StaticKeys wrong = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0xFF, new byte[16]);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("6300", host.Open(Isd, wrong));
        }

        Assert.Equal("6983", host.Open(Isd, GpHost.InitialKeys()));
        CardManager restarted = CardManager.Open(new CardStateStore(StatePath));
        Assert.Equal("6983", new GpHost(restarted).Open(Isd, GpHost.InitialKeys()));
    }

    [Fact]
    public void ExternalAuthenticate_WithoutSecureMessaging_Answers6982AndCountsNoFailure()
    {
        var host = new GpHost(CardManager.Open(new CardStateStore(StatePath)));
        for (int i = 0; i < 4; i++)
        {
            host.Select(Isd);
            var session = new Scp03HostSession(GpHost.InitialKeys(), 8);
            byte[] apdu = new byte[64];
            byte[] card = Hex.Parse(host.Raw(apdu[..session.BuildInitializeUpdate(new byte[8], 0, apdu, 0)]));
            session.ProcessInitializeUpdateResponse(card, 0, card.Length);
            byte[] authenticate = apdu[..session.BuildExternalAuthenticate(0x33, apdu, 0)];
            authenticate[0] = 0x80; // Amd D §7.1.2 defines CLA '84' only

            Assert.Equal("6982", host.Raw(authenticate));
        }

        // Four refusals, yet the key set is not blocked (three real failures would block it): no cryptogram was judged.
        Assert.Equal("9000", host.Open(Isd, GpHost.InitialKeys()));
    }

    [Fact]
    public void FailedCommands_LeaveStateFileByteIdentical()
    {
        CardManager card = CardManager.Open(new CardStateStore(StatePath));
        var host = new GpHost(card);
        ProvisionTenants(host);
        Assert.Equal("9000", host.Open(SsdA, KeysA));
        byte[] before = File.ReadAllBytes(StatePath);

        // A PUT KEY with one KCV byte flipped (the C-MAC is computed over the tampered data, so only the KCV is wrong).
        Scp03StaticKeys newKeys = GpHost.Keys(0x02, 0x30);
        Assert.Equal("6A80", host.Secure(b =>
        {
            int n = GpPutKey.Build(newKeys, KeysA, 0x00, b, 0);
            b[n - 2] ^= 0x01; // last KCV byte (before Le)
            return n;
        }));
        Assert.Equal("6985", host.Secure(b => GpDelete.BuildKeySet(0x01, b, 0))); // last key set stays
        Assert.Equal("6A88", host.Secure(b => GpDelete.BuildAid(GateA, 0, GateA.Length, false, b, 0)));
        Assert.Equal(Hex.Of(before), Hex.Of(File.ReadAllBytes(StatePath)));

        // A correct PUT KEY adds the key set and answers KVN and KCVs.
        string added = host.Secure(b => GpPutKey.Build(newKeys, KeysA, 0x00, b, 0));
        Assert.True(GpPutKey.CheckResponse(newKeys, Hex.Parse(added[..^4]), 0, 10), added);
        Assert.Equal("009000", host.Secure(b => GpDelete.BuildKeySet(0x01, b, 0)));
        Assert.Equal("9000", host.Open(SsdA, newKeys));
    }

    [Fact]
    public void IsdDeletesSsdWithApplicationsOnlyWithRelated()
    {
        CardManager card = CardManager.Open(new CardStateStore(StatePath));
        var host = new GpHost(card);
        ProvisionTenants(host);
        Assert.Equal("9000", host.Open(SsdA, KeysA));
        Assert.Equal("009000", host.Secure(b => GpInstall.BuildForInstallAndMakeSelectable(
            CardState.SampleLoadFileAid, CardState.SampleModuleAid, GateA, [0x00], [], b, 0)));
        Assert.Equal("9000", host.Open(Isd, GpHost.InitialKeys()));
        Assert.Equal("6985", host.Secure(b => GpDelete.BuildAid(SsdA, 0, SsdA.Length, false, b, 0)));
        Assert.Equal("009000", host.Secure(b => GpDelete.BuildAid(SsdA, 0, SsdA.Length, true, b, 0)));
        Assert.Null(card.State.Find(GateA));
        Assert.Null(card.State.Find(SsdA));
        Assert.NotNull(card.State.Find(SsdB));
    }

    [Fact]
    public void StoreData_ThenGetData_ReturnsObject_AndSetStatusLocksApplication()
    {
        CardManager card = CardManager.Open(new CardStateStore(StatePath));
        var host = new GpHost(card);
        ProvisionTenants(host);
        Assert.Equal("9000", host.Open(SsdA, KeysA));
        byte[] tlv = Hex.Parse("DF2003414243");
        Assert.Equal("9000", host.Secure(b => GpStoreData.Build(GpStoreData.LastBlock | GpStoreData.BerTlv, 0, tlv, 0, tlv.Length, b, 0)));
        Assert.Equal("DF20034142439000", host.Secure(b => GpGetData.Build(0xDF20, b, 0)));
        Assert.StartsWith("E012C00401018810", host.Secure(b => GpGetData.Build(0x00E0, b, 0)));
        Assert.Equal("009000", host.Secure(b => GpInstall.BuildForInstallAndMakeSelectable(
            CardState.SampleLoadFileAid, CardState.SampleModuleAid, GateA, [0x00], [], b, 0)));
        Assert.Equal("9000", host.Secure(b => GpSetStatus.BuildEntry(GpSetStatus.ScopeEntry, GpSetStatus.Lock, GateA, 0, GateA.Length, b, 0)));
        Assert.Equal(0x87, card.State.Find(GateA)!.LifeCycle);
        Assert.Equal("6A82", new GpHost(card).Select(GateA));
    }

    /// <summary>ISD session at 0x33 → INSTALL SSD A and B → personalise each with its first key set.</summary>
    private static void ProvisionTenants(GpHost host)
    {
        Assert.Equal("9000", host.Open(Isd, GpHost.InitialKeys()));
        foreach ((byte[] aid, Scp03StaticKeys keys) in new[] { (SsdA, KeysA), (SsdB, KeysB) })
        {
            Assert.Equal("009000", host.Secure(b => GpInstall.BuildForInstallAndMakeSelectable(
                CardState.SampleLoadFileAid, CardState.SampleModuleAid, aid, GpInstall.SecurityDomainWithAuthorizedManagement(), [], b, 0)));
            Assert.Equal("009000", host.Secure(b => GpInstall.BuildForPersonalization(aid, 0, aid.Length, b, 0)));
            string rsp = host.Secure(b => GpPutKey.Build(keys, GpHost.InitialKeys(), 0x00, b, 0));
            Assert.True(GpPutKey.CheckResponse(keys, Hex.Parse(rsp[..^4]), 0, 10), rsp);
        }
    }
}
