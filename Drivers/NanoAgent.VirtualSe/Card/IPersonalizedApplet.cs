using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// An application applet that takes personalisation data from its security domain (GPC v2.3.1 §11.11.2: after INSTALL
/// [for personalization] of an application, the SD forwards STORE DATA to it). The SD has already unwrapped the command
/// (C-MAC checked, C-DECRYPTION undone at the session's level) and checked the block sequence; the applet checks what it
/// needs of the session's security level (key material should only be accepted with C-DECRYPTION).
/// </summary>
public interface IPersonalizedApplet : ICardApplet
{
    /// <summary>Takes one STORE DATA block addressed to an instance of this applet.</summary>
    /// <param name="instance">The application's registry entry (named by INSTALL [for personalization]).</param>
    /// <param name="securityDomain">The security domain whose authenticated session forwarded the block (owns the instance).</param>
    /// <param name="securityLevel">The session's security level (GP Amd D §7.1.2.1: '01' C-MAC, '02' C-DECRYPTION, …).</param>
    /// <param name="command">The unwrapped STORE DATA command (P1 block flags, P2 block number, plain data).</param>
    /// <returns>The reply; anything but '9000' leaves the block sequence where it was.</returns>
    CardReply StoreData(RegistryEntry instance, RegistryEntry securityDomain, byte securityLevel, in CardCommand command);
}
