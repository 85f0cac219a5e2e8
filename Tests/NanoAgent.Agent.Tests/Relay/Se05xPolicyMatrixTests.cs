using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Se05x;
using NanoAgent.VirtualSe.Se05x.State;
using static NanoAgent.Agent.Tests.Fakes.Se05xCardRig;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// Tenant isolation on the SE05x (docs/se05x.md "Tenant objects", docs/protocol.md §4.6), through the real relay: every
/// tenant, in its own authenticated applet session, tries every operation on every object of every other tenant (the owner
/// included, both ways). The applet refuses each with its status word ('6986', object policy; '6985' where the object's
/// type already rules the command out) and the object stays exactly as it was. What a tenant could only do with another
/// session or the applet's own commands is refused by the agent before the SE sees it.
/// </summary>
public class Se05xPolicyMatrixTests
{
    private static readonly string[] Tenants = ["owner", "acme", "beta"];

    private static readonly (uint Offset, string What)[] Objects =
    [
        (Se05xTenantLayout.AuthObject, "authentication object"),
        (Se05xTenantLayout.ReadingKey, "reading key"),
        (Se05xTenantLayout.CommandKey, "command key"),
        (Se05xTenantLayout.ReadingEpoch, "epoch counter"),
        (Se05xTenantLayout.CommandCounter, "command counter"),
        (Se05xTenantLayout.AttestationKey, "attestation key"),
        (0x10, "data file"),
        (RelayRig.RequestKeyVersion, "request key"),
    ];

    [Fact]
    public void EveryTenant_EveryOtherTenantsObject_EveryOperation_RefusedByTheApplet_ObjectUnchanged()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        rig.Onboard("beta");
        foreach (string t in Tenants)
        {
            rig.SetUpGate(t);
        }

        var refusals = new List<string>();
        foreach (string attacker in Tenants)
        {
            using TenantSession session = rig.Open(attacker);
            foreach (string victim in Tenants.Where(v => v != attacker))
            {
                foreach (var (offset, what) in Objects)
                {
                    uint id = AuthOf(victim) | offset;
                    string before = Fingerprint(rig, id);
                    foreach (var (op, apdu) in Operations(id))
                    {
                        ushort sw = session.Sw(apdu);
                        refusals.Add($"{attacker} -> {victim} {what} {op}: {sw:X4}");
                        // 6986: the object's policy; 6985 / 6A80: the object's type rules the command out before its policy.
                        Assert.True(sw is 0x6986 or 0x6985 or 0x6A80, $"{attacker} may {op} {victim}'s {what}: {sw:X4}");
                    }

                    Assert.Equal(before, Fingerprint(rig, id));
                }
            }
        }

        // The policy decides wherever the object's type allows the operation at all.
        Assert.Contains(refusals, r => r.EndsWith("reading key sign: 6986", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.EndsWith("request key verify: 6986", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.EndsWith("epoch counter increment: 6986", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.EndsWith("data file read: 6986", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.EndsWith("authentication object write: 6986", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.EndsWith("authentication object delete: 6986", StringComparison.Ordinal));
        Assert.Equal(3 * 2 * Objects.Length * Operations(Acme).Count, refusals.Count);
    }

    [Fact]
    public void TheTenantItself_MayDoWhatItsPoliciesGrant()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        rig.SetUpGate("acme");
        using TenantSession acme = rig.Open("acme");

        Assert.EndsWith("9000", Hex.Of(acme.Send(Build(b => new Se05xObjectCommands().ReadObject(DataObject("acme"), b, 0)))));
        Assert.Equal(0x9000, acme.Sw(Build(b => rig.Onboarding.UpdateKey(Acme | Se05xTenantLayout.ReadingKey, Key("acme-reading-2"), 0, false, b, 0))));
        Assert.Equal(0x9000, acme.Sw(Build(b => rig.Onboarding.Delete(Acme | Se05xTenantLayout.CommandKey, b, 0))));

        // What its policies leave to the agent is not the tenant's: it signs nothing with its own reading key.
        Assert.Equal(0x6986, acme.Sw(Build(b => new Se05xCryptoCommands().MacGenerate(Acme | Se05xTenantLayout.ReadingKey, Se05xMacAlgorithm.Cmac128, [1], 0, 1, b, 0))));
    }

    [Theory]
    [InlineData("8004001B0641047A0A0000", RejectReason.ForbiddenCommand)] // CreateSession with acme's object
    [InlineData("800500000E100801020304050607084102800A", RejectReason.ForbiddenCommand)] // ProcessSessionCmd of another session
    [InlineData("00A4040010A000000396545300000001030000000000", RejectReason.ForbiddenSelect)] // SELECT: would end acme's session
    [InlineData("8004002A", RejectReason.ForbiddenCommand)] // DeleteAll
    [InlineData("8004002C0641047A0A0000", RejectReason.ForbiddenCommand)] // VerifySessionUserID
    public void WhatOnlyAnotherSessionOrTheOwnerCouldDo_RefusedByTheAgent(string step, RejectReason reason)
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        rig.Onboard("beta");
        using TenantSession acme = rig.Open("acme");
        using TenantSession beta = rig.Open("beta");
        int commands = rig.Transport.Commands;

        Assert.Null(beta.Forward(Hex.Parse(step)));

        // The SE saw only the request's MAC check (MACOneShot validate in the default session), nothing in a session.
        Assert.Equal(reason, beta.LastReason);
        Assert.All(rig.Transport.Log.Skip(commands), c => Assert.StartsWith("80030D46", Hex.Of(c)));
        Assert.Equal(0x9000, acme.Sw(Hex.Parse("800400490441020010")));
    }

    private static List<(string Op, byte[] Apdu)> Operations(uint id)
    {
        var objects = new Se05xObjectCommands();
        var crypto = new Se05xCryptoCommands();
        var auth = new Se05xAuthObjectCommands();
        byte[] key = Key("attacker");
        byte[] set = new byte[32];
        int n = Se05xI2cmCommandSet.Configure(0x44, 0, set, 0);
        n += Se05xI2cmCommandSet.Write([0x01], 0, 1, set, n);
        n += Se05xI2cmCommandSet.Read(2, set, n);
        return
        [
            ("read", Build(b => objects.ReadObject(id, b, 0))),
            ("write", Build(b => objects.WriteSymmKey(Se05xSymmetricKeyType.Aes, id, key, 0, 16, null, 0, 0, b, 0))),
            ("write", Build(b => auth.UpdateAesKey(id, key, 0, b, 0))),
            ("write", Build(b => objects.SetCounter(id, 8, ulong.MaxValue, b, 0))),
            ("increment", Build(b => objects.IncrementCounter(id, b, 0))),
            ("delete", Build(b => objects.DeleteSecureObject(id, b, 0))),
            ("sign", Build(b => crypto.MacGenerate(id, Se05xMacAlgorithm.Cmac128, [1, 2, 3], 0, 3, b, 0))),
            ("verify", Build(b => crypto.MacValidate(id, Se05xMacAlgorithm.Cmac128, [1, 2, 3], 0, 3, new byte[16], 0, 16, b, 0))),
            ("ecdsa", Build(b => crypto.EcdsaSign(id, new byte[32], 0, b, 0))),
            ("attest", Build(b => new Se05xI2cmCommands().ExecuteAttested(set, 0, n, id, Se05xCodes.EcdsaSha256, new byte[16], 0, false, b, 0))),
        ];
    }

    private static string Fingerprint(Se05xCardRig rig, uint id)
    {
        Se05xObject o = rig.Card.Snapshot().Find(id) ?? throw new InvalidOperationException($"object {id:X8} is gone");
        return $"{o.Type} {Hex.Of(o.Value)} {Hex.Of(o.PublicKey ?? [])} {Hex.Of(o.Policy ?? [])} writes {o.Writes} failed {o.FailedAttempts}";
    }
}
