using CsCheck;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tenants;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>docs/protocol.md §4.6: what an SE05x tenant's step may be, checked on the header before anything reaches the SE.</summary>
public class Se05xStepGuardTests
{
    private static readonly Tenant Acme = new("acme", 0x7A0A0000, 16384);
    private static readonly Tenant Owner = new("owner", 0x7A000000, 16384);
    private static readonly RelayOptions Options = new() { MaxCommandData = 892, OwnerTenantId = "owner" };

    [Theory]
    [InlineData("80500000080102030405060708", "INITIALIZE UPDATE, KVN 00, no Le")]
    [InlineData("848233001011223344556677881122334455667788", "EXTERNAL AUTHENTICATE")]
    [InlineData("84010000081122334455667788", "WRITE under the tenant's C-MAC")]
    [InlineData("84410300081122334455667788", "WRITE of an authentication object (INS 41)")]
    [InlineData("84810800081122334455667788", "WRITE of a transient object (INS 81)")]
    [InlineData("84020000081122334455667788", "READ")]
    [InlineData("84030D45081122334455667788", "CRYPTO")]
    [InlineData("84230030081122334455667788", "attested I2CM (INS 23)")]
    [InlineData("8004001C", "CloseSession of its own session")]
    [InlineData("84040028081122334455667788", "DeleteSecureObject: the object's policy decides")]
    [InlineData("800400490441020010", "GetRandom")]
    public void Allowed(string apdu, string what)
    {
        Assert.True(Se05xStepGuard.Check(Acme, Hex.Parse(apdu), Options) == RejectReason.None, what);
    }

    [Theory]
    [InlineData("00A4040010A000000396545300000001030000000000", RejectReason.ForbiddenSelect)]
    [InlineData("80A4040010A0000003965453000000010300000000", RejectReason.ForbiddenSelect)]
    [InlineData("00700001", RejectReason.ForbiddenCommand)]
    [InlineData("FF020000", RejectReason.ForbiddenCommand)]
    [InlineData("81020000", RejectReason.InvalidClass)]
    [InlineData("C1020000", RejectReason.InvalidClass)]
    [InlineData("00020000", RejectReason.ForbiddenCommand)]
    [InlineData("90020000", RejectReason.ForbiddenCommand)]
    [InlineData("80050000021000", RejectReason.ForbiddenCommand)]
    [InlineData("8004001B0641047A0B0000", RejectReason.ForbiddenCommand)]
    [InlineData("8004001E", RejectReason.ForbiddenCommand)]
    [InlineData("8004001F", RejectReason.ForbiddenCommand)]
    [InlineData("8004002C", RejectReason.ForbiddenCommand)]
    [InlineData("8004002A", RejectReason.ForbiddenCommand)]
    [InlineData("8004003E", RejectReason.ForbiddenCommand)]
    [InlineData("80040052", RejectReason.ForbiddenCommand)]
    [InlineData("80CA004200", RejectReason.Malformed)]
    [InlineData("8004002000", RejectReason.Malformed)]
    [InlineData("800200", RejectReason.Malformed)]
    public void Refused(string apdu, RejectReason reason)
    {
        Assert.Equal(reason, Se05xStepGuard.Check(Acme, Hex.Parse(apdu), Options));
    }

    [Theory]
    [InlineData("8004002A")]
    [InlineData("8004003E")]
    [InlineData("80040052")]
    public void CardWideSettings_TheOwnersOnly(string apdu)
    {
        Assert.Equal(RejectReason.None, Se05xStepGuard.Check(Owner, Hex.Parse(apdu), Options));
        Assert.Equal(RejectReason.ForbiddenCommand, Se05xStepGuard.Check(Acme, Hex.Parse(apdu), Options));
        Assert.Equal(RejectReason.ForbiddenCommand, Se05xStepGuard.Check(Owner, Hex.Parse(apdu), new RelayOptions { MaxCommandData = 892 }));
    }

    [Fact]
    public void Size_TheWrappedStepMustFitThePayloadLimit()
    {
        // ProcessSessionCmd adds 14 bytes; with an extended Lc the step itself is header (4) + Lc (3) + data.
        int fits = 892 - Se05xStepGuard.WrapperBytes - 7;
        byte[] apdu = [0x84, 0x01, 0x00, 0x00, 0x00, (byte)(fits >> 8), (byte)fits, .. new byte[fits]];
        Assert.Equal(RejectReason.None, Se05xStepGuard.Check(Acme, apdu, Options));
        byte[] over = [0x84, 0x01, 0x00, 0x00, 0x00, (byte)((fits + 1) >> 8), (byte)(fits + 1), .. new byte[fits + 1]];
        Assert.Equal(RejectReason.TooLarge, Se05xStepGuard.Check(Acme, over, Options));
        Assert.Equal(RejectReason.None, Se05xStepGuard.Check(Acme, over, new RelayOptions { MaxCommandData = 1024 }));
    }

    [Fact]
    public void Dispatch_ByTenantKind()
    {
        var gp = new Tenant("gp", Hex.Parse("F06E616E6F534401"), 1, 4096);
        Assert.Equal(RejectReason.None, StepGuard.CheckFor(gp, Hex.Parse("81CA004200"), Options));
        Assert.Equal(RejectReason.Malformed, StepGuard.CheckFor(Acme, Hex.Parse("81CA004200"), Options));
    }

    [Fact]
    public void AnyBytes_NeverThrow()
    {
        Gen.Byte.Array[0, 300].Sample(bytes => { Se05xStepGuard.Check(Acme, bytes, Options); }, iter: 5000);
    }
}
