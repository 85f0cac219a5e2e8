using CsCheck;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tenants;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;

namespace NanoAgent.Agent.Tests.Relay;

public class SeRequestVerifierTests
{
    private static readonly Tenant Acme = new("acme", Hex.Parse(RelayRig.AcmeSd), 1, 4096);

    private static byte[] Authenticator(byte[] message, int signed, string device = RelayRig.Device)
    {
        byte[] value = new byte[17];
        value[0] = RelayRig.RequestKeyVersion;
        var cmac = new AesCmac(BouncyCastleAesFactory.Instance.CreateAes(RelayRig.RequestKey("acme"), 0, 16));
        RequestMac.Compute(cmac, device, "acme", message, signed, value, 1);
        return value;
    }

    [Fact]
    public void Verify_AnyLengthAnyChunkSize_MatchesTheHostCmac()
    {
        var rig = new RelayRig();
        Gen.Select(Gen.Byte.Array[0, 1200], Gen.Int[64, 255], Gen.Int[0, 1200]).Sample((message, chunk, flip) =>
        {
            var verifier = new SeRequestVerifier(new CardTransport(rig.Card), RelayRig.Device, chunk);
            byte[] auth = Authenticator(message, message.Length);
            Assert.Equal(RequestVerification.Verified, verifier.Verify(Acme, message, message.Length, auth));
            if (message.Length > 0)
            {
                message[flip % message.Length] ^= 0x80;
                Assert.Equal(RequestVerification.BadMac, verifier.Verify(Acme, message, message.Length, auth));
            }
        }, iter: 200);
    }

    [Fact]
    public void Verify_NoFreeChannel_Unavailable_NothingLeftOpen()
    {
        var rig = new RelayRig();
        var transport = new CardTransport(rig.Card);
        for (int channel = 1; channel <= 19; channel++)
        {
            byte[] c = [0x00, 0x70, 0x00, (byte)channel];
            transport.Transceive(c, 0, 4, new byte[8], 0);
        }

        var verifier = new SeRequestVerifier(transport, RelayRig.Device, 255);
        Assert.Equal(RequestVerification.Unavailable, verifier.Verify(Acme, [1, 2, 3], 3, Authenticator([1, 2, 3], 3)));
    }

    [Fact]
    public void Verify_LinkFault_Unavailable()
    {
        var rig = new RelayRig();
        var transport = new CardTransport(rig.Card) { FailAt = 3, Fault = () => new NanoAgent.Drivers.T1.BlockProtocolException(NanoAgent.Drivers.T1.BlockProtocolError.NoDevice, "cut") };
        var verifier = new SeRequestVerifier(transport, RelayRig.Device, 255);
        Assert.Equal(RequestVerification.Unavailable, verifier.Verify(Acme, [1, 2, 3], 3, Authenticator([1, 2, 3], 3)));
    }
}
