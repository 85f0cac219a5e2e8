using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Se;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Demo;

/// <summary>
/// The one step that cannot go through the relay (docs/lifecycle.md, bootstrap): before the agent runs, the device owner
/// opens its ISD session over the local SE link and adds its request key set, so its first request through the relay
/// can be authenticated. Every later key (tenants' first request keys included) travels through authenticated requests.
/// </summary>
public static class DemoBootstrap
{
    /// <summary>Adds the owner's request key set to the ISD of the virtual SE kept in <paramref name="statePath"/>.</summary>
    /// <param name="statePath">The virtual SE's state file (created when missing).</param>
    /// <param name="ownerKeys">The ISD's SCP03 keys.</param>
    /// <param name="requestKeys">The owner's request key set (version '60'-'6F').</param>
    /// <returns>0x9000, or the failing status word (<see cref="TenantOnboarding.ProofFailed"/> when the session did not open).</returns>
    public static ushort PutOwnerRequestKey(string statePath, Scp03StaticKeys ownerKeys, Scp03StaticKeys requestKeys)
    {
        using SeConnection se = SeConnection.Create(new SeTarget { StatePath = statePath });
        se.Transport.Open();
        var session = new GpAdminSession(se.Transport, CryptoRandomSource.Instance);
        if (!session.Open(CardState.DefaultIsdAid, ownerKeys, Scp03SecurityLevel.CMac | Scp03SecurityLevel.CDecryption))
        {
            return TenantOnboarding.ProofFailed;
        }

        ushort sw = TenantOnboarding.AddRequestKey(session, ownerKeys, null, requestKeys);
        session.Close();
        return sw;
    }
}
