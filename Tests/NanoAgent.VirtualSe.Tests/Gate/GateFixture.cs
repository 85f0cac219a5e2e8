using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.Gate;
using NanoAgent.VirtualSe.State;
using NanoAgent.VirtualSe.Tests.Gp;

namespace NanoAgent.VirtualSe.Tests.Gate;

/// <summary>
/// A card with tenants A and B (SSDs installed by the ISD), each with its own gate instance installed from its own
/// SSD session, the gate applet bound to the gate AID prefix. Keying goes only through the tenant's SCP03 session.
/// </summary>
internal sealed class GateFixture
{
    public static readonly byte[] SsdA = Hex.Parse("A0000001515350410A");
    public static readonly byte[] SsdB = Hex.Parse("A0000001515350410B");
    public static readonly byte[] GateA = Hex.Parse("F06E616E6F4741 0A");
    public static readonly byte[] GateB = Hex.Parse("F06E616E6F4741 0B");
    public static readonly Scp03StaticKeys KeysA = GpHost.Keys(0x01, 0x10);
    public static readonly Scp03StaticKeys KeysB = GpHost.Keys(0x01, 0x20);
    public static readonly byte[] MacKeyA = Hex.Parse("000102030405060708090A0B0C0D0E0F");
    public static readonly byte[] MacKeyB = Hex.Parse("F0E0D0C0B0A090807060504030201000");

    public GateFixture(IGateStore? store = null, CardStateStore? cardStore = null)
    {
        Store = store ?? new InMemoryGateStore();
        Card = cardStore is null ? new CardManager(CardState.CreateFresh()) : CardManager.Open(cardStore);
        GateApplet.Install(Card, Store);
        Host = new GpHost(Card);
    }

    public IGateStore Store { get; }

    public CardManager Card { get; }

    public GpHost Host { get; }

    /// <summary>ISD installs SSD A and B with their keys; each tenant installs its gate instance in its own session.</summary>
    public GateFixture Provision()
    {
        Assert.Equal("9000", Host.Open(CardState.DefaultIsdAid, GpHost.InitialKeys()));
        foreach ((byte[] aid, Scp03StaticKeys keys) in new[] { (SsdA, KeysA), (SsdB, KeysB) })
        {
            Assert.Equal("009000", Host.Secure(b => GpInstall.BuildForInstallAndMakeSelectable(
                CardState.SampleLoadFileAid, CardState.SampleModuleAid, aid, GpInstall.SecurityDomainWithAuthorizedManagement(), [], b, 0)));
            Assert.Equal("009000", Host.Secure(b => GpInstall.BuildForPersonalization(aid, 0, aid.Length, b, 0)));
            string rsp = Host.Secure(b => GpPutKey.Build(keys, GpHost.InitialKeys(), 0x00, b, 0));
            Assert.True(GpPutKey.CheckResponse(keys, Hex.Parse(rsp[..^4]), 0, 10), rsp);
        }

        foreach ((byte[] ssd, byte[] gate, Scp03StaticKeys keys) in new[] { (SsdA, GateA, KeysA), (SsdB, GateB, KeysB) })
        {
            Assert.Equal("9000", Host.Open(ssd, keys));
            Assert.Equal("009000", Host.Secure(b => GpInstall.BuildForInstallAndMakeSelectable(
                CardState.SampleLoadFileAid, CardState.SampleModuleAid, gate, [0x00], [], b, 0)));
        }

        return this;
    }

    /// <summary>Opens the SSD's session at a level, names the gate for personalisation, sends one STORE DATA; returns its SW.</summary>
    public string Key(byte[] ssd, Scp03StaticKeys keys, byte[] gate, string tlvHex, byte level = 0x33)
    {
        Assert.Equal("9000", Host.Open(ssd, keys, level));
        string install = Host.Secure(b => GpInstall.BuildForPersonalization(gate, 0, gate.Length, b, 0));
        if (install != "009000")
        {
            return install;
        }

        byte[] tlv = Hex.Parse(tlvHex);
        return Host.Secure(b => GpStoreData.Build(GpStoreData.LastBlock | GpStoreData.BerTlv, 0, tlv, 0, tlv.Length, b, 0));
    }

    public string KeyA() => Key(SsdA, KeysA, GateA, "8110" + Hex.Of(MacKeyA) + "820101");

    public string KeyB() => Key(SsdB, KeysB, GateB, "8110" + Hex.Of(MacKeyB));

    /// <summary>Selects a gate on a fresh host channel and sends one plain command; returns data and SW as hex.</summary>
    public string Send(byte[] gate, string apduHex)
    {
        var host = new GpHost(Card);
        Assert.Equal("9000", host.Select(gate)[^4..]);
        return host.Raw(Hex.Parse(apduHex));
    }

    public static string SignApdu(string readingHex, byte p1 = 0) =>
        $"80A0{p1:X2}00{readingHex.Length / 2:X2}{readingHex}00";

    public static string VerifyApdu(byte[] key, byte[] gate, ulong counter, string payloadHex)
    {
        byte[] payload = Hex.Parse(payloadHex);
        byte[] input = new byte[GateMac.MaxInputLength];
        int n = GateMac.BuildInput(input, GateMac.CommandLabel, gate, counter, payload);
        byte[] mac = new byte[16];
        GateMac.Cmac(key, input, n, mac);
        string data = counter.ToString("X16") + payloadHex + Hex.Of(mac);
        return $"80A20000{data.Length / 2:X2}{data}";
    }
}
