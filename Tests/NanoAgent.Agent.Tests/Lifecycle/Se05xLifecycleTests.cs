using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.Se05x;
using static NanoAgent.Agent.Tests.Fakes.Se05xCardRig;

namespace NanoAgent.Agent.Tests.Lifecycle;

/// <summary>
/// docs/lifecycle.md §5 on the virtual SE05x, through the real relay: the tenant takes its authentication object over from
/// the owner who created it, rotates its request key (add, prove, delete), and hands its block to a new provider, who
/// locks the old one out. The GP side of the same procedures: <see cref="StakeholderLifecycleTests"/>.
/// </summary>
public class Se05xLifecycleTests
{
    [Fact]
    public void TakeOwnership_TheTenantRotatesItsAuthenticationKey_TheOwnerCannotOpenItsSessionAnymore()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        using (TenantSession acme = rig.Open("acme"))
        {
            Assert.Equal(0x9000, acme.Sw(Build(b => rig.Onboarding.UpdateKey(Acme, Key("acme-own"), 0, true, b, 0))));
        }

        // The first key, which the owner chose and knows, no longer opens acme's session.
        TenantSession stale = rig.OpenPlain("acme");
        var e = Assert.Throws<SecureChannelException>(() => stale.Authenticate(AuthKey("acme")));
        Assert.Equal(SecureChannelError.CardCryptogramMismatch, e.Error);
        stale.Dispose();

        using TenantSession own = rig.Open("acme", Key("acme-own"));
        Assert.Equal(0x9000, own.Sw(Hex.Parse("800400490441020010")));
    }

    [Fact]
    public void RequestKeyRotation_AddProveDelete_TheOldVersionIsRefused()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        byte[] next = Key("acme-request-61");
        using (TenantSession acme = rig.Open("acme"))
        {
            Assert.Equal(0x9000, acme.Sw(Build(b => rig.Onboarding.CreateRequestKey(Acme, 0x61, next, 0, b, 0))));
        }

        // Prove: a request MAC'd with version 61 is verified by the SE.
        rig.Relay.Submit("acme", Signed(new RequestSigner(BouncyCastleAesFactory.Instance.CreateAes(next, 0, 16), 0x61, Device, "acme"), rig.NextCounter(), "proof"));
        Assert.NotEqual(ScriptOutcome.Rejected, rig.Listener.LastResult.Outcome);

        using (TenantSession acme = rig.Open("acme"))
        {
            Assert.Equal(0x9000, acme.Sw(Build(b => rig.Onboarding.Delete(Se05xTenantLayout.RequestKey(Acme, 0x60), b, 0))));
        }

        rig.Relay.Submit("acme", Signed(RelayRig.Signer("acme"), rig.NextCounter(), "old"));
        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
    }

    [Fact]
    public void ProviderChange_TheHolderHandsOver_TheNewProviderLocksItOut_TheObjectsStay()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        rig.SetUpGate("acme");
        using (TenantSession acme = rig.Open("acme"))
        {
            // Hand-over: the transfer keys the new provider ("acme2") received out of band, written in place.
            Assert.Equal(0x9000, acme.Sw(Build(b => rig.Onboarding.UpdateKey(Acme, Key("transfer"), 0, true, b, 0))));
            Assert.Equal(0x9000, acme.Sw(Build(b => rig.Onboarding.UpdateKey(Se05xTenantLayout.RequestKey(Acme, 0x60), RelayRig.RequestKey("acme2"), 0, false, b, 0))));
        }

        rig.Tenants.Replace("acme", new Tenant("acme2", Acme, Tenant.DefaultMaxScriptBytes));
        using (TenantSession newProvider = rig.Open("acme2", Key("transfer")))
        {
            Assert.Equal(0x9000, newProvider.Sw(Build(b => rig.Onboarding.UpdateKey(Acme, Key("acme2-own"), 0, true, b, 0))));

            // The block's objects came with the authentication object: its data file, its gate keys' rights.
            byte[] data = newProvider.Send(Build(b => new Se05xObjectCommands().ReadObject(DataObject("acme"), b, 0)));
            Assert.EndsWith(Hex.Of("acme"u8.ToArray()) + "9000", Hex.Of(data));
        }

        // The old provider: its topic is gone, and its key would not open the session anyway.
        rig.Relay.Submit("acme", RelayRig.Script("acme", rig.NextCounter(), "old", AppletAid));
        Assert.Equal(RejectReason.UnknownTenant, rig.Listener.LastResult.Reason);
        TenantSession transfer = rig.OpenPlain("acme2");
        Assert.Throws<SecureChannelException>(() => transfer.Authenticate(Key("transfer")));
        transfer.Dispose();
    }

    private static ScriptRequest Signed(RequestSigner signer, ulong counter, string id) => ScriptMessageCodec.DecodeScriptRequest(signer.Sign(new ScriptRequest
    {
        ScriptId = System.Text.Encoding.ASCII.GetBytes(id), TenantId = "acme", Counter = counter, TargetAid = Hex.Parse(AppletAid),
        Mode = ScriptMode.Batch, Steps = [RelayRig.Step("800400490441020010", 0x6982)], // a batch: the session ends with it
    }));
}
