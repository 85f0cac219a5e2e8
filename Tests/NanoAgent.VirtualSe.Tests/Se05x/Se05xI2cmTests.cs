using System.Security.Cryptography;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>The I2C controller of the virtual SE05x on its second bus, plain and attested (Se05x/README.md "I2C controller").</summary>
public class Se05xI2cmTests
{
    private const uint AttestKey = 0x20000002;

    [Fact]
    public void PlainRead_ReturnsTheSensorsTemperature()
    {
        var rig = new Se05xRig();
        rig.Sensors.Sensor.TemperatureCentiCelsius = -1234;
        Se05xRig.Reply r = rig.Run(new Se05xI2cmCommands().Execute(TemperatureSet(out int n), 0, n, rig.Buffer, 0));
        Assert.Equal(0x9000, r.Sw);

        // Per operation: tag, status 5A; the read adds its length and bytes (fsl_sss_se05x_mw.c Se05x_i2c_master_txn).
        Assert.Equal("4182000A" + "015A" + "035A" + "045A0002" + "FB2E", r.Hex);
        byte[] whole = r.Whole;
        Se05xResponse.ReadTag1(whole, 0, whole.Length, out int at, out int length);
        Assert.Equal(Se05xI2cmResult.Success, Se05xI2cmResult.Walk(whole, at, length, out int readAt, out int readLength));
        Assert.Equal(-1234, (short)((whole[readAt] << 8) | whole[readAt + 1]));
        Assert.Equal(2, readLength);
    }

    [Fact]
    public void AbsentSensor_NackStatus_MalformedSet_StructuralIssue()
    {
        var rig = new Se05xRig();
        rig.Sensors.Sensor.Absent = true;
        Assert.Equal("41820004" + "015A" + "0301", rig.Run(new Se05xI2cmCommands().Execute(TemperatureSet(out int n), 0, n, rig.Buffer, 0)).Hex);

        // A read of 0 bytes is a malformed set: FF 12 (kSE05x_I2CM_Invalid_Length), nothing runs.
        Assert.Equal("41820002FF12", rig.Send("80030030 00000C 410A 0100024401 0400020000 0000").Hex);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void AttestedRead_SignedByTheAttestationKey_InTheLayoutOfTheApplet(int major)
    {
        var rig = new Se05xRig(major);
        byte[] policy = Se05xRig.Policy((0, Se05xPolicy.AllowAttestation | Se05xPolicy.AllowRead));
        rig.Run(rig.Objects.GenerateEcKeyPair(AttestKey, policy, 0, policy.Length, rig.Buffer, 0));
        byte[] pub = rig.Run(rig.Objects.ReadObject(AttestKey, rig.Buffer, 0)).Data[4..];
        byte[] freshness = RandomNumberGenerator.GetBytes(16);
        byte[] set = TemperatureSet(out int n);
        int c = new Se05xI2cmCommands().ExecuteAttested(set, 0, n, AttestKey, Se05xCodes.EcdsaSha256, freshness, 0, major == 7, rig.Buffer, 0);
        byte[] command = rig.Buffer[..c];
        Se05xRig.Reply r = rig.Send(command, c);
        Assert.Equal(0x9000, r.Sw);
        byte[] whole = r.Whole;
        Assert.Equal(Se05xOutcome.Success, Se05xAttestedI2cmResponse.TryParse(whole, 0, whole.Length, major == 7, out var parsed));
        Assert.Equal(18, parsed.ChipIdLength);
        Assert.Equal(rig.Card.Snapshot().Find(0x7FFF0206)!.Value, whole[parsed.ChipIdOffset..(parsed.ChipIdOffset + 18)]);
        Assert.Equal(12, parsed.TimestampLength);
        if (major == 3)
        {
            Assert.Equal(freshness, whole[parsed.FreshnessOffset..(parsed.FreshnessOffset + 16)]);
        }

        // What is signed (ours, Se05x/README.md): 3.x the answer before the signature; 7.x the command as the middleware
        // keeps it (80 23 00 30 00 hh ll data) and then the answer before the signature.
        byte[] signed = major == 7
            ? [.. command[..4], 0x00, command[5], command[6], .. command[7..(7 + ((command[5] << 8) | command[6]))], .. whole[..parsed.SignedLength]]
            : whole[..parsed.SignedLength];
        using var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = pub[1..33], Y = pub[33..] } });
        byte[] signature = whole[parsed.SignatureOffset..(parsed.SignatureOffset + parsed.SignatureLength)];
        Assert.True(ec.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void AttestedRead_KeyWithoutAttestationRight_6986()
    {
        var rig = new Se05xRig();
        byte[] policy = Se05xRig.Policy((0, Se05xPolicy.AllowSign));
        rig.Run(rig.Objects.GenerateEcKeyPair(AttestKey, policy, 0, policy.Length, rig.Buffer, 0));
        byte[] set = TemperatureSet(out int n);
        Assert.Equal(0x6986, rig.Run(new Se05xI2cmCommands().ExecuteAttested(set, 0, n, AttestKey, Se05xCodes.EcdsaSha256, new byte[16], 0, false, rig.Buffer, 0)).Sw);
    }

    [Fact]
    public void I2cmAccessCredential_ConfinesTheControllerToItsSession()
    {
        // kSE05x_AppletResID_I2CM_ACCESS (7FFF0208): "If the credential is not present, access to I2C master is allowed in
        // general. Otherwise, a session using this credential shall be established and I2CM commands shall be sent within
        // this session."
        var rig = new Se05xRig();
        byte[] userId = "I2CMPASS"u8.ToArray();
        rig.Run(new Se05xAuthObjectCommands().WriteUserId(0x7FFF0208, userId, 0, userId.Length, 0, null!, 0, 0, rig.Buffer, 0));
        byte[] set = TemperatureSet(out int n);
        int c = new Se05xI2cmCommands().Execute(set, 0, n, rig.Buffer, 0);
        byte[] command = rig.Buffer[..c];
        Assert.Equal(0x6986, rig.Send(command, c).Sw);
        var session = new Se05xAppletSession(new Se05xCardTransport(() => rig.Card), 892);
        session.Open(0x7FFF0208);
        session.VerifyUserId(userId, 0, userId.Length);
        var answer = new byte[64];
        int a = session.Transceive(command, 0, c, answer, 0);
        Assert.Equal("9000", Hex.Of(answer, a - 2, 2));
    }

    // Configure 0x44 at 400 kHz, write the temperature register, read 2 bytes.
    private static byte[] TemperatureSet(out int n)
    {
        byte[] set = new byte[32];
        n = Se05xI2cmCommandSet.Configure(0x44, Se05xI2cmCommandSet.Baud400Khz, set, 0);
        n += Se05xI2cmCommandSet.Write([0x01], 0, 1, set, n);
        n += Se05xI2cmCommandSet.Read(2, set, n);
        return set;
    }
}
