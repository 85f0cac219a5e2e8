using NanoAgent.Agent.Se05x;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Host.Se;

/// <summary>
/// The bench step of an SE05x (docs/lifecycle.md §5): before the agent runs, over the local SE link and in the applet's
/// default session, the owner creates its own authentication object and its first request key object, so its first
/// request through the relay can be authenticated and its applet session opened. Every later key travels through
/// authenticated requests, inside applet sessions. <c>nanoagent se05x bootstrap</c> and the SE05x demo run it.
/// </summary>
public static class Se05xOwnerBootstrap
{
    /// <summary>ISO 7816-4 "file already exists": the owner's authentication object is there already.</summary>
    public const ushort AlreadyThere = 0x6A89;

    /// <summary>Creates the owner's objects on the virtual SE05x kept in <paramref name="statePath"/>.</summary>
    /// <param name="statePath">The virtual SE's state file (the SE05x card's state goes next to it).</param>
    /// <param name="ownerAuth">The owner's authentication object id (the start of its block).</param>
    /// <param name="authKey">The owner's 16-byte authentication key.</param>
    /// <param name="requestKey">The owner's 16-byte request key (version 60).</param>
    /// <returns>0x9000, or the status word of the first command that failed.</returns>
    public static ushort PutOwner(string statePath, uint ownerAuth, byte[] authKey, byte[] requestKey)
    {
        using SeConnection se = SeConnection.Create(new SeTarget { StatePath = statePath, Card = "se05x" });
        se.Transport.Open();
        return PutOwner(se.Transport, ownerAuth, authKey, 0x60, requestKey);
    }

    /// <summary>Creates the owner's objects over an open link to an SE05x.</summary>
    /// <param name="transport">The link (plain, or platform SCP03).</param>
    /// <param name="ownerAuth">The owner's authentication object id.</param>
    /// <param name="authKey">The owner's 16-byte authentication key.</param>
    /// <param name="requestKeyVersion">The request key's version, '60'-'6F'.</param>
    /// <param name="requestKey">The owner's 16-byte request key.</param>
    /// <returns>0x9000; <see cref="AlreadyThere"/> when the owner's authentication object exists (the bootstrap ran before:
    /// nothing is written); or the status word of the first command that failed ('6A82': no IoT applet).</returns>
    /// <exception cref="ApduException">The link broke.</exception>
    public static ushort PutOwner(IApduTransport transport, uint ownerAuth, byte[] authKey, byte requestKeyVersion, byte[] requestKey)
    {
        var applet = new Se05xApplet(transport, 65535);
        var onboarding = new Se05xTenantOnboarding();
        byte[] command = new byte[300];
        byte[] response = new byte[300];
        int n = applet.Transceive(command, 0, new Se05xObjectCommands().CheckObjectExists(ownerAuth, command, 0), response, 0);
        ushort check = StatusWord.Read(response, 0, n);
        if (check != StatusWord.Success)
        {
            return check;
        }

        if (n >= 5 && response[0] == 0x41 && response[2] == 0x01)
        {
            return AlreadyThere; // SE05x_Result_t SUCCESS: it exists
        }

        foreach (Func<int> build in new Func<int>[]
        {
            () => onboarding.CreateAuthObject(ownerAuth, authKey, 0, command, 0),
            () => onboarding.CreateRequestKey(ownerAuth, requestKeyVersion, requestKey, 0, command, 0),
        })
        {
            int r = applet.Transceive(command, 0, build(), response, 0);
            ushort sw = StatusWord.Read(response, 0, r);
            if (sw != StatusWord.Success)
            {
                return sw;
            }
        }

        return StatusWord.Success;
    }
}
