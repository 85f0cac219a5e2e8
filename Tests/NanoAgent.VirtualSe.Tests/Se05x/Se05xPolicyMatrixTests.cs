using System.Security.Cryptography;
using System.Text.Json;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Se05x;
using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>
/// Tenant isolation on the card alone: three tenants (two UserID, one AESKey authentication object) each own a set of
/// objects whose policy names only their own authentication object. Every other tenant, and the default session, trying
/// every operation on every one of them is refused with the applet's status word (6986 "access denied based on object
/// policy", se05x_tlv.h; 6985 for reading a secret, which no policy allows), and each object is unchanged afterwards,
/// checked in the card's state and read back through its owner.
/// </summary>
public class Se05xPolicyMatrixTests
{
    private const uint All = Se05xPolicy.AllowSign | Se05xPolicy.AllowVerify | Se05xPolicy.AllowRead | Se05xPolicy.AllowWrite
        | Se05xPolicy.AllowGenerate | Se05xPolicy.AllowDelete | Se05xPolicy.AllowAttestation;

    private static readonly uint[] Tenants = [0x7DA00011, 0x7DA00012, 0x7DA00013];

    private delegate ushort Operation(Func<byte[], int, byte[]> send, byte[] buffer);

    [Fact]
    public void EveryTenantEveryOtherObjectEveryOperation_RefusedAndUnchanged()
    {
        var rig = new Se05xRig(7);
        var auth = new Se05xAuthObjectCommands();
        rig.Run(auth.WriteUserId(Tenants[0], Secret(1), 0, 8, 0, null!, 0, 0, rig.Buffer, 0));
        rig.Run(auth.WriteUserId(Tenants[1], Secret(2), 0, 8, 0, null!, 0, 0, rig.Buffer, 0));
        rig.Run(auth.WriteAesKey(Tenants[2], Secret(3), 0, 0, null!, 0, 0, rig.Buffer, 0));
        foreach (uint tenant in Tenants)
        {
            // At most two sessions are open at once (se05x-facts.md §5): each tenant logs in, provisions, and logs out.
            Se05xAppletSession session = Login(rig, tenant);
            Provision(session, tenant);
            Assert.Equal(Se05xOutcome.Success, session.Close());
        }

        string before = Snapshot(rig);
        int refusals = 0;
        foreach (uint attacker in Tenants.Append(0u))
        {
            // Each attacker makes its own crypto object, to try MACInit with someone else's key.
            Se05xAppletSession? session = attacker == 0 ? null : Login(rig, attacker);
            Func<byte[], int, byte[]> send = Sender(rig, session);
            ushort cryptoId = (ushort)(0x0100 + (attacker & 0xFF));
            Assert.Equal(0x9000, Sw(send(rig.Buffer, new Se05xMacStreamCommands().CreateCryptoObject(cryptoId, Se05xMacAlgorithm.HmacSha256, rig.Buffer, 0))));
            foreach (uint victim in Tenants.Where(t => t != attacker))
            {
                foreach ((string name, uint id, Operation op, ushort expected) in Operations(victim, cryptoId))
                {
                    ushort sw = op(send, rig.Buffer);
                    Assert.True(sw == expected, $"{attacker:X8} → {name} of {victim:X8}: {sw:X4}, expected {expected:X4}");
                    refusals++;
                }
            }

            send(rig.Buffer, new Se05xMacStreamCommands().DeleteCryptoObject(cryptoId, rig.Buffer, 0));
            session?.Close();
        }

        Assert.Equal(before, Snapshot(rig));
        Assert.True(refusals >= 4 * 2 * 18, $"only {refusals} refusals were tried");

        // Each owner still reads and uses its objects as before.
        foreach (uint tenant in Tenants)
        {
            Se05xAppletSession session = Login(rig, tenant);
            Func<byte[], int, byte[]> owner = Sender(rig, session);
            var objects = new Se05xObjectCommands();
            Assert.Equal("418200040000002A9000", Hex.Of(owner(rig.Buffer, objects.ReadCounter(Id(tenant, 3), rig.Buffer, 0))));
            Assert.Equal("4182000401020304" + "9000", Hex.Of(owner(rig.Buffer, objects.ReadObject(Id(tenant, 5), rig.Buffer, 0))));
            byte[] data = [1, 2, 3];
            byte[] mac = owner(rig.Buffer, new Se05xCryptoCommands().MacGenerate(Id(tenant, 1), Se05xMacAlgorithm.HmacSha256, data, 0, 3, rig.Buffer, 0));
            Assert.Equal(Hex.Of(HMACSHA256.HashData(Secret(tenant & 0xF, 32), data)), Hex.Of(mac, 4, 32));
            session.Close();
        }
    }

    private static IEnumerable<(string Name, uint Id, Operation Op, ushort Expected)> Operations(uint victim, ushort cryptoId)
    {
        var o = new Se05xObjectCommands();
        var c = new Se05xCryptoCommands();
        var m = new Se05xMacStreamCommands();
        var i2cm = new Se05xI2cmCommands();
        byte[] data = [1, 2, 3];
        byte[] mac = new byte[32];
        byte[] digest = SHA256.HashData(data);
        byte[] der = Hex.Parse("3006020101020101");
        const ushort Denied = 0x6986, Secret = 0x6985;
        uint hmac = Id(victim, 1), aes = Id(victim, 2), counter = Id(victim, 3), ec = Id(victim, 4), file = Id(victim, 5);
        Operation Op(Func<byte[], int> build) => (send, b) => Sw(send(b, build(b)));
        yield return ("MAC generate", hmac, Op(b => c.MacGenerate(hmac, Se05xMacAlgorithm.HmacSha256, data, 0, 3, b, 0)), Denied);
        yield return ("MAC validate", hmac, Op(b => c.MacValidate(hmac, Se05xMacAlgorithm.HmacSha256, data, 0, 3, mac, 0, 32, b, 0)), Denied);
        yield return ("MACInit generate", hmac, Op(b => m.MacInit(hmac, cryptoId, false, b, 0)), Denied);
        yield return ("MACInit validate", hmac, Op(b => m.MacInit(hmac, cryptoId, true, b, 0)), Denied);
        yield return ("overwrite HMAC key", hmac, Op(b => o.WriteSymmKey(Se05xSymmetricKeyType.Hmac, hmac, new byte[32], 0, 32, null!, 0, 0, b, 0)), Denied);
        yield return ("read HMAC key", hmac, Op(b => o.ReadObject(hmac, b, 0)), Secret);
        yield return ("delete HMAC key", hmac, Op(b => o.DeleteSecureObject(hmac, b, 0)), Denied);
        yield return ("CMAC generate", aes, Op(b => c.MacGenerate(aes, Se05xMacAlgorithm.Cmac128, data, 0, 3, b, 0)), Denied);
        yield return ("overwrite AES key", aes, Op(b => o.WriteSymmKey(Se05xSymmetricKeyType.Aes, aes, new byte[16], 0, 16, null!, 0, 0, b, 0)), Denied);
        yield return ("delete AES key", aes, Op(b => o.DeleteSecureObject(aes, b, 0)), Denied);
        yield return ("increment counter", counter, Op(b => o.IncrementCounter(counter, b, 0)), Denied);
        yield return ("set counter", counter, Op(b => o.SetCounter(counter, 4, 0xFFFFFFFF, b, 0)), Denied);
        yield return ("read counter", counter, Op(b => o.ReadCounter(counter, b, 0)), Denied);
        yield return ("delete counter", counter, Op(b => o.DeleteSecureObject(counter, b, 0)), Denied);
        yield return ("ECDSA sign", ec, Op(b => c.EcdsaSign(ec, digest, 0, b, 0)), Denied);
        yield return ("ECDSA verify", ec, Op(b => c.EcdsaVerify(ec, digest, 0, der, 0, der.Length, b, 0)), Denied);
        yield return ("read public key", ec, Op(b => o.ReadObject(ec, b, 0)), Denied);
        // WriteECKey on an existing pair without keys regenerates it; the middleware leaves the curve out then
        // (fsl_sss_se05x_apis.c: "curve_id = (IdExists == 1) ? kSE05x_ECCurve_NA").
        yield return ("regenerate key pair", ec, Op(b => Copy(Hex.Parse("8001610006 4104" + ec.ToString("X8")), b)), Denied);
        yield return ("delete key pair", ec, Op(b => o.DeleteSecureObject(ec, b, 0)), Denied);
        yield return ("attested I2CM read", ec, Op(b =>
        {
            byte[] set = new byte[16];
            int n = Se05xI2cmCommandSet.Configure(0x44, 1, set, 0);
            n += Se05xI2cmCommandSet.Read(2, set, n);
            return i2cm.ExecuteAttested(set, 0, n, ec, Se05xCodes.EcdsaSha256, new byte[16], 0, true, b, 0);
        }), Denied);
        yield return ("read file", file, Op(b => o.ReadObject(file, b, 0)), Denied);
        yield return ("write file", file, Op(b => Copy(Hex.Parse("800106000C4104" + file.ToString("X8") + "4404FFFFFFFF"), b)), Denied);
        yield return ("delete file", file, Op(b => o.DeleteSecureObject(file, b, 0)), Denied);
    }

    private static void Provision(Se05xAppletSession session, uint tenant)
    {
        byte[] policy = Se05xRig.Policy((tenant, All));
        var o = new Se05xObjectCommands();
        var buffer = new byte[1100];
        var answer = new byte[1100];
        void Ok(int n) => Assert.Equal(0x9000, Sw(answer[..session.Transceive(buffer, 0, n, answer, 0)]));
        Ok(o.WriteSymmKey(Se05xSymmetricKeyType.Hmac, Id(tenant, 1), Secret(tenant & 0xF, 32), 0, 32, policy, 0, policy.Length, buffer, 0));
        Ok(o.WriteSymmKey(Se05xSymmetricKeyType.Aes, Id(tenant, 2), Secret(tenant & 0xF, 16), 0, 16, policy, 0, policy.Length, buffer, 0));
        Ok(o.CreateCounter(Id(tenant, 3), 4, 42, policy, 0, policy.Length, buffer, 0));
        Ok(o.GenerateEcKeyPair(Id(tenant, 4), policy, 0, policy.Length, buffer, 0));
        byte[] file = [0x80, 0x01, 0x06, 0x00, (byte)(policy.Length + 2 + 16), 0x11, (byte)policy.Length, .. policy, 0x41, 0x04, .. BitConverter.GetBytes(Id(tenant, 5)).Reverse(), 0x43, 0x02, 0x00, 0x04, 0x44, 0x04, 1, 2, 3, 4];
        Ok(Copy(file, buffer));
    }

    private static int Copy(byte[] apdu, byte[] buffer)
    {
        apdu.CopyTo(buffer, 0);
        return apdu.Length;
    }

    private static Se05xAppletSession Login(Se05xRig rig, uint tenant)
    {
        var session = new Se05xAppletSession(new Se05xCardTransport(() => rig.Card), 1024);
        Assert.Equal(Se05xOutcome.Success, session.Open(tenant));
        Se05xOutcome outcome = tenant == Tenants[2]
            ? session.AuthenticateAesKey(BouncyCastleAesFactory.Instance, Secret(3), 0, CryptoRandomSource.Instance)
            : session.VerifyUserId(Secret(tenant & 0xF), 0, 8);
        Assert.Equal(Se05xOutcome.Success, outcome);
        return session;
    }

    private static Func<byte[], int, byte[]> Sender(Se05xRig rig, Se05xAppletSession? session) => (apdu, n) =>
    {
        if (session is null)
        {
            return rig.Send(apdu, n).Whole;
        }

        var answer = new byte[1200];
        return answer[..session.Transceive(apdu, 0, n, answer, 0)];
    };

    private static uint Id(uint tenant, uint kind) => 0x10000000 * kind + (tenant & 0xFF);

    private static byte[] Secret(uint tenant, int length = 16) => Enumerable.Range(0, length).Select(i => (byte)(0x30 + tenant + i)).ToArray();

    private static ushort Sw(byte[] answer) => (ushort)((answer[^2] << 8) | answer[^1]);

    private static string Snapshot(Se05xRig rig) => JsonSerializer.Serialize(rig.Card.Snapshot().Objects);
}
