using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>Policy rules of the virtual SE05x (Se05x/README.md "Policies"), one rule per test.</summary>
public class Se05xPolicyTests
{
    private static readonly byte[] Key = new byte[32];

    [Fact]
    public void DefaultSessionSet_AllowsOnlyItsRights()
    {
        // authId 00000000 = the default, unauthenticated session (se05x-facts.md §4, [NK]); example 08 00000000 00040000.
        var rig = new Se05xRig();
        byte[] policy = Se05xRig.Policy((0, Se05xPolicy.AllowSign));
        Assert.Equal(0x9000, rig.Run(rig.Objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x1001, Key, 0, 32, policy, 0, policy.Length, rig.Buffer, 0)).Sw);
        byte[] data = [1];
        Assert.Equal(0x9000, rig.Run(rig.Crypto.MacGenerate(0x1001, Se05xMacAlgorithm.HmacSha256, data, 0, 1, rig.Buffer, 0)).Sw);
        Assert.Equal(0x6986, rig.Run(rig.Crypto.MacValidate(0x1001, Se05xMacAlgorithm.HmacSha256, data, 0, 1, new byte[32], 0, 32, rig.Buffer, 0)).Sw);
        Assert.Equal(0x6986, rig.Run(rig.Objects.DeleteSecureObject(0x1001, rig.Buffer, 0)).Sw);
    }

    [Fact]
    public void FactsExamplePolicy_DefaultSessionMayDeleteOnly()
    {
        // se05x-facts.md §4 [NK]: the policy 08 00000000 00040000 = the default session may delete (POLICY_OBJ_ALLOW_DELETE).
        var rig = new Se05xRig();
        byte[] policy = Hex.Parse("08 00000000 00040000");
        Assert.Equal(0x9000, rig.Run(rig.Objects.CreateCounter(0x3001, 4, 0, policy, 0, policy.Length, rig.Buffer, 0)).Sw);
        Assert.Equal(0x6986, rig.Run(rig.Objects.ReadCounter(0x3001, rig.Buffer, 0)).Sw);
        Assert.Equal(0x6986, rig.Run(rig.Objects.IncrementCounter(0x3001, rig.Buffer, 0)).Sw);
        Assert.Equal(0x9000, rig.Run(rig.Objects.DeleteSecureObject(0x3001, rig.Buffer, 0)).Sw);
    }

    [Fact]
    public void NoSetForTheSession_Denied_NoPolicyAtAll_Allowed()
    {
        var rig = new Se05xRig();
        byte[] policy = Se05xRig.Policy((0x7DA00001, Se05xPolicy.AllowDelete | Se05xPolicy.AllowRead | Se05xPolicy.AllowWrite));
        rig.Run(rig.Objects.CreateCounter(0x3001, 4, 0, policy, 0, policy.Length, rig.Buffer, 0));
        Assert.Equal(0x6986, rig.Run(rig.Objects.ReadCounter(0x3001, rig.Buffer, 0)).Sw);
        rig.Run(rig.Objects.CreateCounter(0x3002, 4, 0, null!, 0, 0, rig.Buffer, 0));
        Assert.Equal(0x9000, rig.Run(rig.Objects.IncrementCounter(0x3002, rig.Buffer, 0)).Sw);
        Assert.Equal(0x9000, rig.Run(rig.Objects.DeleteSecureObject(0x3002, rig.Buffer, 0)).Sw);
    }

    [Fact]
    public void ForbidAll_BeatsEveryRight()
    {
        var rig = new Se05xRig();
        byte[] policy = Se05xRig.Policy((0, Se05xPolicy.ForbidAll | Se05xPolicy.AllowRead | Se05xPolicy.AllowWrite));
        rig.Run(rig.Objects.CreateCounter(0x3001, 4, 0, policy, 0, policy.Length, rig.Buffer, 0));
        Assert.Equal(0x6986, rig.Run(rig.Objects.ReadCounter(0x3001, rig.Buffer, 0)).Sw);
        Assert.Equal(0x6986, rig.Run(rig.Objects.IncrementCounter(0x3001, rig.Buffer, 0)).Sw);
    }

    [Theory]
    [InlineData("07 00000000 00200000")]                       // a set shorter than 8
    [InlineData("08 00000000 00200000 08 00000000 00100000")]  // the same auth object twice
    [InlineData("08 00000000 00210000")]                       // REQUIRE_PCR_VALUE without its 36-byte extension
    [InlineData("08 00000000 002000")]                          // truncated
    public void InvalidPolicy_6984_NothingCreated(string policyHex)
    {
        // se05x_tlv.h SM_ERR_DATA_INVALID 6984: "policy set invalid for the given object".
        var rig = new Se05xRig();
        byte[] policy = Hex.Parse(policyHex);
        Assert.Equal(0x6984, rig.Run(rig.Objects.CreateCounter(0x3001, 4, 0, policy, 0, policy.Length, rig.Buffer, 0)).Sw);
        Assert.Equal("410102", rig.Run(rig.Objects.CheckObjectExists(0x3001, rig.Buffer, 0)).Hex);
    }

    [Fact]
    public void PolicyOnExistingObject_6A80_PolicyFixedAtCreation()
    {
        // TAG_POLICY: "[Conditional: only when the object identifier is not in use yet]".
        var rig = new Se05xRig();
        rig.Run(rig.Objects.CreateCounter(0x3001, 4, 0, null!, 0, 0, rig.Buffer, 0));
        byte[] policy = Se05xRig.Policy((0, Se05xPolicy.ForbidAll));
        Assert.Equal(0x6A80, rig.Run(rig.Objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x3001, Key, 0, 32, policy, 0, policy.Length, rig.Buffer, 0)).Sw);
        Assert.Null(rig.Card.Snapshot().Find(0x3001)!.Policy);
    }

    [Fact]
    public void RequireSm_MetOnlyInAnAesKeySession()
    {
        // POLICY_OBJ_REQUIRE_SM: "Require SCP03 or ECKey session secure messaging where secure messaging requires C_MAC and
        // C_DECRYPTION set" (Nitrokey se05x crate, policies.rs).
        var rig = Se05xSessionTests.WithAuthObjects();
        uint tenant = 0x7DA00001, user = 0x7DA00002;
        byte[] policy = Se05xRig.Policy(
            (tenant, Se05xPolicy.AllowRead | Se05xPolicy.RequireSecureMessaging),
            (user, Se05xPolicy.AllowRead | Se05xPolicy.RequireSecureMessaging));
        rig.Run(rig.Objects.CreateCounter(0x3001, 4, 0, policy, 0, policy.Length, rig.Buffer, 0));
        var answer = new byte[64];

        var viaUserId = new Se05xAppletSession(new Se05xCardTransport(() => rig.Card), 892);
        viaUserId.Open(user);
        viaUserId.VerifyUserId("C0FFEE01"u8.ToArray(), 0, 8);
        int n = viaUserId.Transceive(rig.Buffer, 0, rig.Objects.ReadCounter(0x3001, rig.Buffer, 0), answer, 0);
        Assert.Equal("6986", Hex.Of(answer, n - 2, 2));
        viaUserId.Close();

        var viaAes = new Se05xAppletSession(new Se05xCardTransport(() => rig.Card), 892);
        viaAes.Open(tenant);
        viaAes.AuthenticateAesKey(BouncyCastleAesFactory.Instance, Hex.Parse("000102030405060708090A0B0C0D0E0F"), 0, CryptoRandomSource.Instance);
        n = viaAes.Transceive(rig.Buffer, 0, rig.Objects.ReadCounter(0x3001, rig.Buffer, 0), answer, 0);
        Assert.Equal("41820004000000009000", Hex.Of(answer, 0, n));
    }
}
