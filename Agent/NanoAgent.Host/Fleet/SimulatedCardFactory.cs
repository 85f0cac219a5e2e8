using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Fleet;

/// <summary>
/// Makes a simulated device's card as a factory and an owner would leave it: a fresh virtual GP card whose IC serial
/// number (and so its CIN and the key diversification data every SD returns in INITIALIZE UPDATE, GP Amd D §7.1.1.3) is
/// the device's own, with the tenant's SD installed by the ISD and keyed, through the card's own commands (an ISD SCP03
/// session with the initial keys: INSTALL, INSTALL [for personalization], PUT KEY of the device's key set and of the
/// tenant's request key set).
/// </summary>
public static class SimulatedCardFactory
{
    /// <summary>Creates and provisions a card.</summary>
    /// <param name="serial">The IC serial number (unique per device).</param>
    /// <param name="tenant">The tenant to onboard.</param>
    /// <returns>The card, and the key diversification data it returns.</returns>
    /// <exception cref="InvalidOperationException">A provisioning command failed (a bug).</exception>
    public static (CardManager Card, byte[] Diversification) Create(uint serial, SimulatedTenant tenant)
    {
        var card = new CardManager(CardState.CreateFresh(serial));
        var channel = new ApduChannel(new CountingCardLink(card));
        byte[] apdu = new byte[300], wire = new byte[300], rsp = new byte[600];
        byte[] isd = CardState.DefaultIsdAid;
        Expect(channel.Transmit(apdu, 0, GpSelect.Build(isd, 0, isd.Length, apdu, 0), rsp, 0), rsp, "SELECT ISD");
        var initial = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, CardState.InitialKeyVersion, CardState.InitialKey);
        var session = new Scp03HostSession(initial, 8);
        int r = channel.Transmit(apdu, 0, session.BuildInitializeUpdate(new byte[8], 0, apdu, 0), rsp, 0);
        byte[] diversification = rsp[..Scp03InitializeUpdateResponse.DiversificationDataLength];
        session.ProcessInitializeUpdateResponse(rsp, 0, r);
        r = channel.Transmit(apdu, 0, session.BuildExternalAuthenticate(0x33, apdu, 0), rsp, 0);
        session.ProcessExternalAuthenticateResponse(rsp, 0, r);

        void Secure(int n, string what)
        {
            int w = session.Wrap(apdu, 0, n, wire, 0);
            int got = channel.Transmit(wire, 0, w, rsp, 0);
            Expect(session.Unwrap(rsp, 0, got, rsp, 0), rsp, what);
        }

        Secure(GpInstall.BuildForInstallAndMakeSelectable(CardState.SampleLoadFileAid, CardState.SampleModuleAid, tenant.Sd,
            GpInstall.SecurityDomainWithAuthorizedManagement(), [], apdu, 0), "INSTALL SD");
        Secure(GpInstall.BuildForPersonalization(tenant.Sd, 0, tenant.Sd.Length, apdu, 0), "INSTALL [for personalization]");
        Secure(GpPutKey.Build(tenant.Keys.KeysFor(tenant.KeyVersion, diversification), initial, 0x00, apdu, 0), "PUT KEY");
        Secure(GpPutKey.Build(tenant.RequestKeys, initial, 0x00, apdu, 0), "PUT KEY (request key)");
        return (card, diversification);
    }

    private static void Expect(int length, byte[] response, string what)
    {
        if (length < 2 || response[length - 2] != 0x90 || response[length - 1] != 0x00)
        {
            throw new InvalidOperationException($"provisioning the simulated card: {what} answered {Convert.ToHexString(response, Math.Max(0, length - 2), Math.Min(2, length))}");
        }
    }
}
