using CsCheck;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>
/// Property tests on the virtual SE05x's command parser: random byte strings and random applet-shaped commands (real
/// class, instructions, P1/P2 and TLV-ish payloads, in and out of sessions) always get a status word, never an
/// exception and never the internal-fault word 6F00, and the state stays loadable.
/// </summary>
public class Se05xParserPropertyTests
{
    private static readonly byte[] Ins = [0x01, 0x02, 0x03, 0x04, 0x05, 0x41, 0x81, 0x23, 0x50, 0x82, 0xA4, 0xCA, 0xF2, 0x70, 0xC0];
    private static readonly byte[] Tags = [0x10, 0x11, 0x12, 0x15, 0x41, 0x42, 0x43, 0x44, 0x45, 0x47, 0x4F];

    [Fact]
    public void RandomBytes_AlwaysAStatusWordNeverAFault()
    {
        Gen.Byte.Array[0, 300].Sample(apdu =>
        {
            var rig = new Se05xRig();
            Check(rig, apdu);
        }, iter: 2000);
    }

    [Fact]
    public void RandomAppletCommands_AlwaysAStatusWordNeverAFault()
    {
        Gen<byte[]> tlv = Gen.Select(Pick(Tags), Gen.Byte.Array[0, 40], Gen.Int[0, 3]).Select((tag, value, form) => Encode(tag, value, form));
        Gen<byte[]> payload = tlv.Array[0, 5].Select(parts => parts.SelectMany(p => p).ToArray());
        Gen<byte[]> command = Gen.Select(Pick([0x80, 0x84, 0x00]), Pick(Ins), Gen.Byte, Gen.Byte, payload, Gen.Int[0, 2])
            .Select((cla, ins, p1, p2, data, form) => Apdu(cla, ins, p1, p2, data, form));
        command.Array[1, 12].Sample(commands =>
        {
            var rig = Se05xSessionTests.WithAuthObjects(maxAttempts: 2);
            rig.Run(rig.Objects.CreateCounter(0x41424344, 2, 0, null!, 0, 0, rig.Buffer, 0));
            rig.Run(rig.Objects.GenerateEcKeyPair(0x41424345, null!, 0, 0, rig.Buffer, 0));
            byte[] sessionId = rig.Run(new Se05xSessionCommands().CreateSession(0x7DA00002, rig.Buffer, 0)).Data[4..];
            foreach (byte[] c in commands)
            {
                Check(rig, c);

                // The same command inside the open UserID session.
                var outer = new byte[600];
                if (c.Length >= 4 && c.Length < 400)
                {
                    int n = new Se05xSessionCommands().ProcessSessionCommand(sessionId, 0, c, 0, c.Length, false, outer, 0);
                    Check(rig, outer[..n]);
                }
            }

            Assert.Null(rig.Card.Snapshot().Validate());
        }, iter: 300);
    }

    [Fact]
    public void MutatedValidCommands_AlwaysAStatusWordNeverAFault()
    {
        List<byte[]> valid = ValidCommands();
        Gen.Select(Gen.Int[0, valid.Count - 1], Gen.Int[0, 2], Gen.Int[0, 1100], Gen.Byte).Sample((which, kind, at, value) =>
        {
            byte[] c = valid[which];
            int i = at % (c.Length + 1);
            byte[] mutated = kind switch
            {
                0 => c.Select((b, j) => j == i ? (byte)(b ^ (value | 1)) : b).ToArray(),
                1 => c[..i],
                _ => [.. c[..i], value, .. c[i..]],
            };
            var rig = Se05xSessionTests.WithAuthObjects();
            foreach (byte[] setup in valid.Take(4))
            {
                rig.Send(setup, setup.Length);
            }

            Check(rig, mutated);
            Assert.Null(rig.Card.Snapshot().Validate());
        }, iter: 1500);
    }

    private static List<byte[]> ValidCommands()
    {
        var o = new Se05xObjectCommands();
        var c = new Se05xCryptoCommands();
        var m = new Se05xMacStreamCommands();
        var q = new Se05xObjectQueries();
        var s = new Se05xSessionCommands();
        var i2cm = new Se05xI2cmCommands();
        var b = new byte[1100];
        var list = new List<byte[]>();
        void Add(int n) => list.Add(b[..n]);
        byte[] policy = Se05xRig.Policy((0, Se05xPolicy.AllowSign | Se05xPolicy.AllowVerify | Se05xPolicy.AllowRead | Se05xPolicy.AllowWrite | Se05xPolicy.AllowAttestation));
        Add(o.WriteSymmKey(Se05xSymmetricKeyType.Hmac, 0x1001, new byte[32], 0, 32, policy, 0, policy.Length, b, 0));
        Add(o.CreateCounter(0x3001, 4, 7, policy, 0, policy.Length, b, 0));
        Add(o.GenerateEcKeyPair(0x2001, policy, 0, policy.Length, b, 0));
        Add(m.CreateCryptoObject(0x0101, Se05xMacAlgorithm.HmacSha256, b, 0));
        Add(c.MacGenerate(0x1001, Se05xMacAlgorithm.HmacSha256, new byte[20], 0, 20, b, 0));
        Add(c.MacValidate(0x1001, Se05xMacAlgorithm.HmacSha256, new byte[20], 0, 20, new byte[32], 0, 32, b, 0));
        Add(m.MacInit(0x1001, 0x0101, false, b, 0));
        Add(m.MacUpdate(0x0101, new byte[40], 0, 40, b, 0));
        Add(m.MacFinal(0x0101, new byte[3], 0, 3, null!, 0, 0, b, 0));
        Add(o.IncrementCounter(0x3001, b, 0));
        Add(o.SetCounter(0x3001, 4, 100, b, 0));
        Add(o.ReadCounter(0x3001, b, 0));
        Add(c.EcdsaSign(0x2001, new byte[32], 0, b, 0));
        Add(c.EcdsaVerify(0x2001, new byte[32], 0, Hex.Parse("3006020101020101"), 0, 8, b, 0));
        Add(q.ReadIdList(0, 0xFF, b, 0));
        Add(q.ReadType(0x2001, b, 0));
        Add(q.ReadSize(0x1001, b, 0));
        Add(o.GetRandom(32, b, 0));
        Add(o.GetVersion(b, 0));
        Add(o.CheckObjectExists(0x1001, b, 0));
        Add(s.CreateSession(0x7DA00002, b, 0));
        byte[] set = new byte[16];
        int n = Se05xI2cmCommandSet.Configure(0x44, 1, set, 0);
        n += Se05xI2cmCommandSet.Write([1], 0, 1, set, n);
        n += Se05xI2cmCommandSet.Read(2, set, n);
        Add(i2cm.Execute(set, 0, n, b, 0));
        Add(i2cm.ExecuteAttested(set, 0, n, 0x2001, Se05xCodes.EcdsaSha256, new byte[16], 0, false, b, 0));
        Add(o.DeleteSecureObject(0x3001, b, 0));
        return list;
    }

    private static Gen<byte> Pick(byte[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static void Check(Se05xRig rig, byte[] apdu)
    {
        var response = new byte[70000];
        int n = rig.Card.Process(apdu, response);
        Assert.True(n >= 2, "the card answered no status word");
        ushort sw = (ushort)((response[n - 2] << 8) | response[n - 1]);
        Assert.True(sw != 0x6F00, $"internal fault on {Hex.Of(apdu)}");
        Assert.True(sw == 0x9000 || n == 2, $"an error answer carried data: {Hex.Of(response, 0, n)}");
    }

    private static byte[] Encode(byte tag, byte[] value, int form) => form switch
    {
        0 => [tag, (byte)value.Length, .. value],
        1 => [tag, 0x81, (byte)value.Length, .. value],
        2 => [tag, 0x82, 0x00, (byte)value.Length, .. value],
        _ => [tag, (byte)(value.Length + 1), .. value], // a wrong length
    };

    private static byte[] Apdu(byte cla, byte ins, byte p1, byte p2, byte[] data, int form) => form switch
    {
        0 when data.Length is > 0 and < 256 => [cla, ins, p1, p2, (byte)data.Length, .. data],
        1 => [cla, ins, p1, p2, 0x00, (byte)(data.Length >> 8), (byte)data.Length, .. data, 0x00, 0x00],
        _ => [cla, ins, p1, p2, .. data],
    };
}
