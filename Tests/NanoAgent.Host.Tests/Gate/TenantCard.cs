using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.Gate;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Tests.Gate;

/// <summary>
/// A virtual SE with two tenants: the ISD installs SSD A and B, each tenant installs its gate instance and keys it by
/// SCP03 script in its own session (INSTALL [for personalization] + STORE DATA at level '33', C-DEC).
/// </summary>
internal sealed class TenantCard : IApduTransport
{
    public static readonly byte[] SsdA = Hex.Parse("A0000001515350410A");
    public static readonly byte[] SsdB = Hex.Parse("A0000001515350410B");
    public static readonly byte[] GateA = Hex.Parse("F06E616E6F47410A");
    public static readonly byte[] GateB = Hex.Parse("F06E616E6F47410B");
    public static readonly byte[] MacKeyA = Hex.Parse("000102030405060708090A0B0C0D0E0F");
    public static readonly byte[] MacKeyB = Hex.Parse("F0E0D0C0B0A090807060504030201000");

    private readonly ApduChannel _channel;
    private readonly byte[] _apdu = new byte[300];
    private readonly byte[] _wire = new byte[300];
    private readonly byte[] _rsp = new byte[70000];
    private Scp03HostSession? _session;

    public TenantCard()
    {
        Card = new CardManager(CardState.CreateFresh());
        GateApplet.Install(Card, new InMemoryGateStore());
        _channel = new ApduChannel(this);
        Scp03StaticKeys keysA = Keys(0x10), keysB = Keys(0x20);
        Scp03StaticKeys initial = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0xFF, CardState.InitialKey);
        Open(CardState.DefaultIsdAid, initial);
        foreach ((byte[] aid, Scp03StaticKeys keys) in new[] { (SsdA, keysA), (SsdB, keysB) })
        {
            Secure(b => GpInstall.BuildForInstallAndMakeSelectable(
                CardState.SampleLoadFileAid, CardState.SampleModuleAid, aid, GpInstall.SecurityDomainWithAuthorizedManagement(), [], b, 0));
            Secure(b => GpInstall.BuildForPersonalization(aid, 0, aid.Length, b, 0));
            Secure(b => GpPutKey.Build(keys, initial, 0x00, b, 0));
        }

        foreach ((byte[] ssd, byte[] gate, Scp03StaticKeys keys, byte[] mac) in new[] { (SsdA, GateA, keysA, MacKeyA), (SsdB, GateB, keysB, MacKeyB) })
        {
            Open(ssd, keys);
            Assert.Equal("009000", Secure(b => GpInstall.BuildForInstallAndMakeSelectable(
                CardState.SampleLoadFileAid, CardState.SampleModuleAid, gate, [0x00], [], b, 0)));
            Assert.Equal("009000", Secure(b => GpInstall.BuildForPersonalization(gate, 0, gate.Length, b, 0)));
            byte[] tlv = [0x81, 0x10, .. mac, 0x82, 0x01, 0x01];
            Assert.Equal("9000", Secure(b => GpStoreData.Build(GpStoreData.LastBlock | GpStoreData.BerTlv, 0, tlv, 0, tlv.Length, b, 0)));
        }
    }

    public CardManager Card { get; }

    public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset) =>
        Card.Process(command.AsSpan(commandOffset, commandCount), response.AsSpan(responseOffset));

    public static byte[] PublicKeyOf(TenantCard card, byte[] gate) => card.PublicKey(gate);

    /// <summary>Reads a gate's public key point ('04' || X || Y) with GET DATA '7F49'.</summary>
    public byte[] PublicKey(byte[] gate)
    {
        Transmit(Hex.Parse("00A40400" + gate.Length.ToString("X2") + Hex.Of(gate) + "00"));
        string rsp = Transmit(Hex.Parse("80CA7F4900"));
        return Hex.Parse(rsp.Substring(10, 130));
    }

    private static Scp03StaticKeys Keys(byte seed)
    {
        byte[] Fill(int s) => Enumerable.Range(0, 16).Select(i => (byte)(s * 17 + i)).ToArray();
        return new Scp03StaticKeys(BouncyCastleAesFactory.Instance, 0x01, Fill(seed), Fill(seed + 1), Fill(seed + 2));
    }

    private string Transmit(byte[] apdu) => Hex.Of(_rsp, 0, _channel.Transmit(apdu, 0, apdu.Length, _rsp, 0));

    private void Open(byte[] sd, Scp03StaticKeys keys)
    {
        Transmit(Hex.Parse("00A40400" + sd.Length.ToString("X2") + Hex.Of(sd) + "00"));
        _session = new Scp03HostSession(keys, 8);
        byte[] challenge = new byte[8];
        Random.Shared.NextBytes(challenge);
        int n = _session.BuildInitializeUpdate(challenge, 0, _apdu, 0);
        int r = _channel.Transmit(_apdu, 0, n, _rsp, 0);
        _session.ProcessInitializeUpdateResponse(_rsp, 0, r);
        n = _session.BuildExternalAuthenticate(0x33, _apdu, 0);
        r = _channel.Transmit(_apdu, 0, n, _rsp, 0);
        _session.ProcessExternalAuthenticateResponse(_rsp, 0, r);
    }

    private string Secure(Func<byte[], int> build)
    {
        int n = build(_apdu);
        int w = _session!.Wrap(_apdu, 0, n, _wire, 0);
        int r = _channel.Transmit(_wire, 0, w, _rsp, 0);
        return Hex.Of(_rsp, 0, _session.Unwrap(_rsp, 0, r, _rsp, 0));
    }
}
