using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Tenants;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Host.Lifecycle;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Agent.Tests.Lifecycle;

/// <summary>
/// Issue 9 end to end on the virtual rig (card + agent, in-memory broker): tenants A and B run; the owner onboards C; C
/// personalises its own keys; C's domain goes to provider D; C is locked out; D manages the domain; an appointed party
/// installs an application in D's domain with D's token and D verifies the receipt. Over AES-128, -192 and -256.
/// </summary>
public sealed class StakeholderLifecycleTests
{
    private const string Device = "dev9";
    private static readonly byte[] Isd = CardState.DefaultIsdAid;
    private static readonly byte[] Elf = CardState.SampleLoadFileAid;
    private static readonly byte[] Module = CardState.SampleModuleAid;
    private static readonly byte[] SsdA = Hex.Parse("F06E616E6F53440A");
    private static readonly byte[] SsdB = Hex.Parse("F06E616E6F53440B");
    private static readonly byte[] SsdC = Hex.Parse("F06E616E6F53440C");
    private static readonly byte[] SsdP = Hex.Parse("F06E616E6F534450");
    private static readonly byte[] AppC = Hex.Parse("F06E616E6F0101C1");
    private static readonly byte[] AppP = Hex.Parse("F06E616E6F0101D1");

    /// <summary>Security Domain + Delegated Management + Authorized Management (GPC v2.3.1 §6.6.1): may appoint a DM party.</summary>
    private static readonly byte[] OwnerSd = [0xA0, 0x40, 0x00];

    /// <summary>Security Domain + Delegated Management only: needs a token for INSTALL and DELETE.</summary>
    private static readonly byte[] DelegatedSd = [0xA0, 0x00, 0x00];

    private readonly CardManager _card = new(CardState.CreateFresh());

    private GpAdminSession NewSession() => new(new CardTransport(_card), CryptoRandomSource.Instance);

    private static Scp03StaticKeys Keys(byte kvn, byte seed, int length)
    {
        byte[] Fill(int k) => Enumerable.Range(0, length).Select(i => (byte)(seed * 31 + k * 7 + i)).ToArray();
        return new Scp03StaticKeys(BouncyCastleAesFactory.Instance, kvn, Fill(1), Fill(2), Fill(3));
    }

    private static Scp03StaticKeys IsdKeys() =>
        Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0xFF, CardState.InitialKey.ToArray());

    // One GET DATA on channel 3 through the relay, MAC'd with a request key set; the tenant's result (outcome, reason).
    private static (ScriptOutcome, RejectReason) RunThroughRelay(AgentService service, FakeMqttConnection backend, string tenant, Scp03StaticKeys requestKeys, ulong counter, string id)
    {
        byte[] payload = RequestSigner.FromKeySet(requestKeys, Device, tenant).Sign(new ScriptRequest
        {
            ScriptId = System.Text.Encoding.ASCII.GetBytes(id), TenantId = tenant, Counter = counter, TargetAid = SsdC, Mode = ScriptMode.Batch,
            Steps = [RelayRig.Step("83CA004200")],
        });
        backend.Received.Clear();
        backend.Publish(AgentTopics.Request(Device, tenant), payload, MqttQos.AtLeastOnce, false);
        service.ProcessInbound();
        ScriptResult result = ReportMessageCodec.DecodeResult(Assert.Single(backend.Received, m => m.Topic == AgentTopics.Response(Device, tenant)).Payload);
        return (result.Outcome, result.Reason);
    }

    private static string Send(GpAdminSession s, Func<byte[], int> build)
    {
        byte[] apdu = new byte[300], rsp = new byte[300];
        int n = s.Send(apdu, 0, build(apdu), rsp, 0);
        return Hex.Of(rsp, 0, n) + s.LastStatus.ToString("X4");
    }

    private string SelectPlain(byte[] aid)
    {
        byte[] apdu = new byte[32], rsp = new byte[300];
        int n = GpSelect.Build(aid, 0, aid.Length, apdu, 0);
        int r = new CardTransport(_card).Transceive(apdu, 0, n, rsp, 0);
        return Hex.Of(rsp, r - 2, 2);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void OnboardPersonaliseHandOverDelegate_EndToEnd(int keyLength)
    {
        // Tenants A and B already run; the agent serves them.
        var registry = TenantRegistry.Parse($"a {Hex.Of(SsdA)} 1\nb {Hex.Of(SsdB)} 2\n");
        var broker = new InMemoryBroker();
        FakeMqttConnection agentLink = broker.NewClient();
        var relay = new ScriptRelay(registry, new InMemoryRelayStore(4), new CardTransport(_card), new VirtualSe.Bus.VirtualClock(), new RelayOptions(),
            new SeRequestVerifier(new CardTransport(_card), Device, 255));
        var service = new AgentService(agentLink, registry, relay, Device);
        service.Start(new MqttConnectOptions { ClientId = "agent" });
        FakeMqttConnection backend = broker.NewClient();
        backend.Connect(new MqttConnectOptions { ClientId = "backend" });
        backend.Subscribe(["nanoagent/dev9/+/script/res"], [MqttQos.AtLeastOnce]);

        GpAdminSession owner = NewSession();
        Assert.True(owner.Open(Isd, IsdKeys(), 0x33));
        Assert.Equal(0x9000, TenantOnboarding.CreateDomain(owner, IsdKeys(), Elf, Module, SsdA, OwnerSd, Keys(1, 0xA, keyLength)));
        Assert.Equal(0x9000, TenantOnboarding.CreateDomain(owner, IsdKeys(), Elf, Module, SsdB, OwnerSd, Keys(1, 0xB, keyLength)));

        // 1. Onboarding: the owner creates C's domain with temporary keys and hands them over out of band.
        Scp03StaticKeys temporary = Keys(0x01, 0xC0, keyLength);
        Assert.Equal(0x9000, TenantOnboarding.CreateDomain(owner, IsdKeys(), Elf, Module, SsdC, OwnerSd, temporary));
        Scp03StaticKeys temporaryRequest = Keys(0x60, 0xE0, keyLength);
        Assert.Equal(0x9000, TenantOnboarding.AddRequestKey(owner, IsdKeys(), SsdC, temporaryRequest));
        registry.Add(new Tenant("c", SsdC, 3, 4096));
        Assert.Equal(1, service.RefreshSubscriptions());
        Assert.Contains("nanoagent/dev9/c/script/req", agentLink.Filters);

        // C replaces the temporary keys through its own session: the owner can no longer open C's domain.
        Scp03StaticKeys keysC = Keys(0x02, 0xC1, keyLength);
        GpAdminSession c = NewSession();
        Assert.True(c.Open(SsdC, temporary, 0x33));
        Assert.Equal(0x9000, TenantOnboarding.TakeOwnership(c, SsdC, temporary, keysC, 0x33));
        Assert.False(NewSession().Open(SsdC, temporary, 0x33));
        Assert.True(c.Open(SsdC, keysC, 0x33)); // the basic channel is shared: the owner's try ended C's session (GPC §10.2)

        // C rotates its request key like its SCP03 keys: add, prove (a request MAC'd with it passes the relay), delete.
        Scp03StaticKeys requestC = Keys(0x61, 0xE1, keyLength);
        Assert.Equal(0x9000, TenantOnboarding.AddRequestKey(c, keysC, null!, requestC));
        Assert.Equal((ScriptOutcome.Completed, RejectReason.None), RunThroughRelay(service, backend, "c", requestC, 1, "prove-c"));
        Assert.True(c.Open(SsdC, keysC, 0x33));
        Assert.EndsWith("9000", Send(c, b => GpDelete.BuildKeySet(temporaryRequest.KeyVersion, b, 0)));
        Assert.Equal((ScriptOutcome.Rejected, RejectReason.NotAuthenticated), RunThroughRelay(service, backend, "c", temporaryRequest, 2, "old-key"));
        Assert.True(c.Open(SsdC, keysC, 0x33));
        Assert.Equal("009000", Send(c, b => GpInstall.BuildForInstallAndMakeSelectable(Elf, Module, AppC, [0x00], [], b, 0)));
        byte[] tlv = Hex.Parse("DF2003414243");
        Assert.Equal("9000", Send(c, b => GpStoreData.Build(GpStoreData.LastBlock | GpStoreData.BerTlv, 0, tlv, 0, tlv.Length, b, 0)));

        // 2. Provider change: C puts D's transfer keys in place of its own; D rotates them away; C is locked out.
        Scp03StaticKeys transfer = Keys(0x03, 0xD0, keyLength);
        Scp03StaticKeys keysD = Keys(0x04, 0xD1, keyLength);
        Scp03StaticKeys transferRequest = Keys(0x62, 0xF0, keyLength);
        Scp03StaticKeys requestD = Keys(0x63, 0xF1, keyLength);
        Assert.Equal(0x9000, TenantOnboarding.HandOver(c, keysC, null!, requestC.KeyVersion, transferRequest));
        Assert.Equal(0x9000, TenantOnboarding.HandOver(c, keysC, null!, keysC.KeyVersion, transfer));
        GpAdminSession d = NewSession();
        Assert.True(d.Open(SsdC, transfer, 0x33));
        Assert.Equal(0x9000, TenantOnboarding.TakeOwnership(d, SsdC, transfer, keysD, 0x33));
        Assert.Equal(0x9000, TenantOnboarding.AddRequestKey(d, keysD, null!, requestD));
        Assert.EndsWith("9000", Send(d, b => GpDelete.BuildKeySet(transferRequest.KeyVersion, b, 0)));
        Assert.False(NewSession().Open(SsdC, keysC, 0x33));
        Assert.False(NewSession().Open(SsdC, transfer, 0x33));
        Assert.Equal([keysD.KeyVersion, requestD.KeyVersion], _card.State.Find(SsdC)!.Domain!.KeySets.Select(k => k.KeyVersion));

        registry.Replace("c", new Tenant("d", SsdC, 3, 4096));
        Assert.Equal(1, service.RefreshSubscriptions());
        Assert.Equal((ScriptOutcome.Rejected, RejectReason.UnknownTenant), RunThroughRelay(service, backend, "c", requestC, 3, "old"));
        Assert.Equal((ScriptOutcome.Rejected, RejectReason.NotAuthenticated), RunThroughRelay(service, backend, "d", requestC, 1, "c-key"));
        Assert.Equal((ScriptOutcome.Completed, RejectReason.None), RunThroughRelay(service, backend, "d", requestD, 1, "new"));

        // No data of the domain is lost: D reads C's stored object and the application is still there and selectable.
        Assert.True(d.Open(SsdC, keysD, 0x33));
        Assert.Equal("DF20034142439000", Send(d, b => GpGetData.Build(0xDF20, b, 0)));
        Assert.Equal("9000", SelectPlain(AppC));

        // 3. Delegated management: D installs its token key and receipt key, appoints P with a DM-only domain.
        Assert.True(d.Open(SsdC, keysD, 0x33));
        using var issuer = new TokenIssuer();
        byte[] tokenKey = issuer.TokenKeyTlv();
        Assert.Equal("9000", Send(d, b => GpStoreData.Build(GpStoreData.LastBlock | GpStoreData.BerTlv, 0, tokenKey, 0, tokenKey.Length, b, 0)));
        byte[] receiptKey = Enumerable.Range(0, keyLength).Select(i => (byte)(0x55 ^ i)).ToArray();
        var receiptSet = new Scp03StaticKeys(BouncyCastleAesFactory.Instance, DelegatedReceipt.ReceiptKeyVersion, receiptKey, receiptKey, receiptKey);
        Assert.StartsWith("71", Send(d, b => GpPutKey.Build(receiptSet, keysD, GpPutKey.AddNew, b, 0)));
        Scp03StaticKeys keysP = Keys(0x01, 0x50, keyLength);
        Assert.Equal(0x9000, TenantOnboarding.CreateDomain(d, keysD, Elf, Module, SsdP, DelegatedSd, keysP));
        Scp03StaticKeys requestP = Keys(0x60, 0x51, keyLength);
        Assert.Equal(0x9000, TenantOnboarding.AddRequestKey(d, keysD, SsdP, requestP)); // the appointed party's first request key
        Assert.Contains(_card.State.Find(SsdP)!.Domain!.KeySets, k => k.KeyVersion == 0x60);

        GpAdminSession p = NewSession();
        Assert.True(p.Open(SsdP, keysP, 0x33));
        Assert.Equal("6982", Send(p, b => GpInstall.BuildForInstallAndMakeSelectable(Elf, Module, AppP, [0x00], [], b, 0)));
        byte[] wrongToken = issuer.Install(Elf, Module, AppC, [0x00], []);
        Assert.Equal("6982", Send(p, b => DelegatedToken.BuildInstall(Elf, Module, AppP, [0x00], [], wrongToken, b, 0)));
        Assert.Null(_card.State.Find(AppP));

        byte[] token = issuer.Install(Elf, Module, AppP, [0x00], []);
        string answer = Send(p, b => DelegatedToken.BuildInstall(Elf, Module, AppP, [0x00], [], token, b, 0));
        Assert.EndsWith("9000", answer);
        var verifier = new ReceiptVerifier(receiptKey);
        byte[] receipt = Hex.Parse(answer[..^4]);
        Assert.True(verifier.VerifyInstall(receipt, Elf, AppP));
        Assert.False(verifier.VerifyInstall(receipt, Elf, AppP)); // replayed receipt: counter did not increase
        Assert.False(new ReceiptVerifier(receiptKey).VerifyInstall(receipt, Elf, AppC)); // receipt is bound to the AIDs
        Assert.Equal(Hex.Of(SsdP), Hex.Of(_card.State.Find(AppP)!.AssociatedSecurityDomain!));
        Assert.Equal("9000", SelectPlain(AppP));
        Assert.True(p.Open(SsdP, keysP, 0x33));

        // The appointed party deletes with a delete token; the receipt verifies with a higher counter.
        byte[] deleteToken = issuer.Delete(AppP, false);
        string deleted = Send(p, b => DelegatedToken.BuildDelete(AppP, false, deleteToken, b, 0));
        Assert.True(verifier.VerifyDelete(Hex.Parse(deleted[..^4]), AppP), deleted);
        Assert.Null(_card.State.Find(AppP));

        // Tenants A and B were never disturbed.
        Assert.True(NewSession().Open(SsdA, Keys(1, 0xA, keyLength), 0x33));
        Assert.True(NewSession().Open(SsdB, Keys(1, 0xB, keyLength), 0x33));
    }
}
