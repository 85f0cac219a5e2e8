using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Backend;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Demo;

/// <summary>
/// The scripts the demo's stakeholders send, in the readable script format (docs/script-format.md); also used by the
/// provisioning tests so both rigs set up a card the same way.
/// </summary>
public static class DemoScripts
{
    /// <summary>The device owner, in its ISD session: one security domain per tenant, with the tenant's first key set and its
    /// first request key set (docs/protocol.md §3.9), so the tenant's first request through the relay can be authenticated.</summary>
    public static ScriptFile OwnerCreatesDomains(Scp03StaticKeys ownerKeys, params (byte[] Sd, Scp03StaticKeys Keys, Scp03StaticKeys RequestKeys)[] tenants)
    {
        var text = new StringWriter();
        text.WriteLine("sd " + Convert.ToHexString(CardState.DefaultIsdAid));
        foreach (var (sd, keys, requestKeys) in tenants)
        {
            text.WriteLine($"# security domain {Convert.ToHexString(sd)}: INSTALL [for install and make selectable], INSTALL [for personalization], PUT KEY (SCP03), PUT KEY (request key)");
            text.WriteLine(Apdu(b => GpInstall.BuildForInstallAndMakeSelectable(
                CardState.SampleLoadFileAid, CardState.SampleModuleAid, sd, GpInstall.SecurityDomainWithAuthorizedManagement(), [], b, 0)));
            text.WriteLine(Apdu(b => GpInstall.BuildForPersonalization(sd, 0, sd.Length, b, 0)));
            text.WriteLine(Apdu(b => GpPutKey.Build(keys, ownerKeys, 0x00, b, 0)));
            text.WriteLine(Apdu(b => GpPutKey.Build(requestKeys, ownerKeys, 0x00, b, 0)));
        }

        return ScriptFile.Parse(text.ToString(), "owner.apdu");
    }

    /// <summary>A tenant, in its own SSD session: installs its gate instance and keys it (the key travels encrypted, C-DEC).</summary>
    public static ScriptFile TenantInstallsGate(byte[] sd, byte[] gate, byte[] macKey, string name)
    {
        var text = new StringWriter();
        text.WriteLine("sd " + Convert.ToHexString(sd));
        text.WriteLine("# gate application instance, owned by this security domain");
        text.WriteLine(Apdu(b => GpInstall.BuildForInstallAndMakeSelectable(CardState.SampleLoadFileAid, CardState.SampleModuleAid, gate, [0x00], [], b, 0)));
        text.WriteLine(Apdu(b => GpInstall.BuildForPersonalization(gate, 0, gate.Length, b, 0)));
        byte[] tlv = [0x81, 0x10, .. macKey];
        text.WriteLine(Apdu(b => GpStoreData.Build(GpStoreData.LastBlock | GpStoreData.BerTlv, 0, tlv, 0, tlv.Length, b, 0)) + "   # gate MAC key");
        text.WriteLine(Apdu(b => GpGetStatus.Build(0x40, false, [], 0, 0, b, 0)) + " expect XXXX   # GET STATUS: what this domain owns");
        return ScriptFile.Parse(text.ToString(), name);
    }

    /// <summary>A tenant's pre-computed script: stores and reads back a personalisation object.</summary>
    public static ScriptFile TenantStoresData(byte[] sd, string name)
    {
        byte[] tlv = [0xDF, 0x20, 0x05, .. "hello"u8];
        var text = new StringWriter();
        text.WriteLine("sd " + Convert.ToHexString(sd));
        text.WriteLine(Apdu(b => GpStoreData.Build(GpStoreData.LastBlock | GpStoreData.BerTlv, 0, tlv, 0, tlv.Length, b, 0)));
        text.WriteLine(Apdu(b => GpGetData.Build(0xDF20, b, 0)));
        return ScriptFile.Parse(text.ToString(), name);
    }

    /// <summary>One tenant trying to delete another tenant's gate from its own session: the SE must refuse.</summary>
    public static ScriptFile DeleteOthersGate(byte[] sd, byte[] othersGate, string name) => ScriptFile.Parse(
        $"sd {Convert.ToHexString(sd)}\n{Apdu(b => GpDelete.BuildAid(othersGate, 0, othersGate.Length, false, b, 0))}\n", name);

    /// <summary>One tenant trying to select another tenant's security domain: the agent must refuse before the SE sees it.</summary>
    public static ScriptFile SelectOthersDomain(byte[] sd, byte[] othersSd, string name) => ScriptFile.Parse(
        $"sd {Convert.ToHexString(sd)}\n00A40400{othersSd.Length:X2}{Convert.ToHexString(othersSd)}00\n", name);

    /// <summary>A hand-made SCP03 opening without the keys: INITIALIZE UPDATE and a random EXTERNAL AUTHENTICATE (what an
    /// attacker would send to block a domain's key set).</summary>
    public static ScriptStep[] ForgedAuthentication(int channel)
    {
        byte cla = (byte)(0x80 | channel);
        byte[] iu = [cla, 0x50, 0x00, 0x00, 0x08, .. System.Security.Cryptography.RandomNumberGenerator.GetBytes(8), 0x00];
        byte[] ea = [(byte)(cla | 0x04), 0x82, 0x33, 0x00, 0x10, .. System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)];
        return [new ScriptStep(iu, 0x9000, 0xFFFF, false, false), new ScriptStep(ea, 0x9000, 0xFFFF, false, false)];
    }

    private static string Apdu(Func<byte[], int> build)
    {
        var buffer = new byte[300];
        return Convert.ToHexString(buffer, 0, build(buffer));
    }
}
