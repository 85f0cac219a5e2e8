using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.T1;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Tests.Rotation;

/// <summary>
/// A virtual SE05x on the virtual I2C bus with the real host stack on top: T=1oI2C, a <see cref="FaultTransport"/>, an
/// <see cref="ApduChannel"/> and a <see cref="GpSecureSession"/>. Restarting makes a new SE from the same state file.
/// </summary>
internal sealed class RotationRig : IDisposable
{
    public static readonly byte[] Isd = CardState.DefaultIsdAid;
    public static readonly byte[] Ssd = Hex.Parse("A0000001515350410A");

    private ISeTransport? _t1;

    public RotationRig(string statePath, byte iParameter = 0x70)
    {
        StatePath = statePath;
        IParameter = iParameter;
        Start();
    }

    public string StatePath { get; }

    public byte IParameter { get; }

    public VirtualSecureElement Se { get; private set; } = null!;

    public FaultTransport Faults { get; private set; } = null!;

    public ApduChannel Channel { get; private set; } = null!;

    public GpSecureSession Session { get; private set; } = null!;

    public static Scp03StaticKeys DefaultIsdKeys() =>
        Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0xFF, Hex.Parse("404142434445464748494A4B4C4D4E4F"));

    public static Scp03StaticKeys Keys(byte kvn, byte seed)
    {
        byte[] Fill(int s) => Enumerable.Range(0, 16).Select(i => (byte)((s * 29) + i)).ToArray();
        return new Scp03StaticKeys(BouncyCastleAesFactory.Instance, kvn, Fill(seed), Fill(seed + 1), Fill(seed + 2));
    }

    /// <summary>Power-cycles: a new virtual SE loaded from the state file, a new host stack.</summary>
    public void Restart()
    {
        _t1?.Dispose();
        Start();
    }

    /// <summary>ISD at level 33 with the default keys: install the SSD and give it its first key set.</summary>
    public void ProvisionSsd(Scp03StaticKeys ssdKeys, byte level = 0x33, int challenge = 8)
    {
        Assert.Equal(GpOpenStatus.Opened, Session.Open(Isd, DefaultIsdKeys(), level, challenge));
        Assert.Equal("009000", Secure(b => GpInstall.BuildForInstallAndMakeSelectable(
            CardState.SampleLoadFileAid, CardState.SampleModuleAid, Ssd, GpInstall.SecurityDomainWithAuthorizedManagement(), [], b, 0)));
        Assert.Equal("009000", Secure(b => GpInstall.BuildForPersonalization(Ssd, 0, Ssd.Length, b, 0)));
        string rsp = Secure(b => GpPutKey.Build(ssdKeys, DefaultIsdKeys(), GpPutKey.AddNew, b, 0));
        Assert.True(GpPutKey.CheckResponse(ssdKeys, Hex.Parse(rsp[..^4]), 0, 10), rsp);
        Session.Close();
    }

    /// <summary>Sends a plain command through the open session; returns data and status word as hex.</summary>
    public string Secure(Func<byte[], int> build)
    {
        byte[] command = new byte[300];
        byte[] response = new byte[4096];
        int n = build(command);
        return Hex.Of(response, 0, Session.Send(command, 0, n, response, 0));
    }

    /// <summary>Opens and closes a session: does this key set work now?</summary>
    public GpOpenStatus Probe(byte[] aid, Scp03StaticKeys keys, byte level = 0x33, int challenge = 8)
    {
        GpOpenStatus status = Session.Open(aid, keys, level, challenge);
        Session.Close();
        return status;
    }

    public void Dispose() => _t1?.Dispose();

    private void Start()
    {
        Se = VirtualSecureElement.Create(VirtualSeProtocol.Se05xI2c, StatePath);
        Se.Card.Options.Scp03IParameter = IParameter;
        _t1 = Se.CreateHostTransport(new VirtualClock());
        _t1.Open();
        Faults = new FaultTransport(_t1);
        Channel = new ApduChannel(Faults);
        Session = new GpSecureSession(Channel, CryptoRandomSource.Instance, null!, 4096);
    }
}
