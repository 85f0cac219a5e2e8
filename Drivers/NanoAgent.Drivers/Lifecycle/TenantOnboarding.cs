using System;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Lifecycle
{
    /// <summary>
    /// Stakeholder life-cycle procedures over <see cref="GpAdminSession"/> (docs/lifecycle.md):
    /// <list type="number">
    /// <item><see cref="CreateDomain"/>: the owner (ISD session) installs an SSD for a new stakeholder and gives it a
    /// temporary key set (GPC v2.3.1 §11.5 INSTALL [for install and make selectable] and [for personalization], §11.8 PUT KEY),
    /// which it hands to the stakeholder out of band.</item>
    /// <item><see cref="TakeOwnership"/>: whoever holds a domain's current keys puts a new key set, proves it by opening a
    /// session with it, and deletes the old set (§11.2.2.3 DELETE [key]). Used by a new stakeholder after onboarding and by a
    /// new provider after a hand-over: afterwards nobody else can open a session on the domain.</item>
    /// <item><see cref="HandOver"/>: the current provider (or the ISD for a domain whose holder is gone) replaces its key set by
    /// the transfer key set of the next provider in one PUT KEY (P1 = old KVN), which the next provider then rotates away.</item>
    /// </list>
    /// Results are status words; <see cref="KeyCheckMismatch"/> when the card confirmed other keys than were sent.
    /// </summary>
    public static class TenantOnboarding
    {
        /// <summary>The value returned when a PUT KEY answer carries other key check values than the keys sent.</summary>
        public const ushort KeyCheckMismatch = 0x0001;

        /// <summary>The value returned when the new key set does not open a session (the old one is then kept).</summary>
        public const ushort ProofFailed = 0x0002;

        /// <summary>Creates a supplementary security domain and gives it a temporary key set, in the owner's ISD session.</summary>
        /// <param name="isd">An open session on the ISD (or on an SSD with Authorized Management).</param>
        /// <param name="isdKeys">The static keys of that session (their DEK encrypts the new keys, GP Amd D §7.2).</param>
        /// <param name="loadFileAid">The load file of the security domain code.</param>
        /// <param name="moduleAid">Its module.</param>
        /// <param name="sdAid">The new SSD's AID.</param>
        /// <param name="privileges">Its privileges (GPC §6.6.1), for example 80 40 00: Security Domain with Authorized Management.</param>
        /// <param name="initialKeys">The temporary key set, handed to the stakeholder out of band.</param>
        /// <returns>0x9000 on success, else the first failing status word or <see cref="KeyCheckMismatch"/>.</returns>
        public static ushort CreateDomain(
            GpAdminSession isd, Scp03StaticKeys isdKeys, byte[] loadFileAid, byte[] moduleAid, byte[] sdAid, byte[] privileges, Scp03StaticKeys initialKeys)
        {
            byte[] apdu = new byte[300];
            byte[] data = new byte[64];
            int n = GpInstall.BuildForInstallAndMakeSelectable(loadFileAid, moduleAid, sdAid, privileges, new byte[0], apdu, 0);
            isd.Send(apdu, 0, n, data, 0);
            if (isd.LastStatus != 0x9000)
            {
                return isd.LastStatus;
            }

            return PutKeys(isd, isdKeys, sdAid, initialKeys, GpPutKey.AddNew, apdu, data);
        }

        /// <summary>
        /// Replaces the key set a session was opened with by a new one: PUT KEY (new KVN), open a session with the new keys,
        /// DELETE [key] the old KVN. The session ends open on the new keys.
        /// </summary>
        /// <param name="session">A session opened on <paramref name="sdAid"/> with <paramref name="currentKeys"/>.</param>
        /// <param name="sdAid">The domain.</param>
        /// <param name="currentKeys">The keys in use (temporary or of the previous provider).</param>
        /// <param name="newKeys">The new keys; their version must differ from the current one.</param>
        /// <param name="securityLevel">The security level of the proving session.</param>
        /// <returns>0x9000, the first failing status word, <see cref="KeyCheckMismatch"/> or <see cref="ProofFailed"/>.</returns>
        /// <exception cref="ArgumentException">Both key sets have the same version.</exception>
        public static ushort TakeOwnership(GpAdminSession session, byte[] sdAid, Scp03StaticKeys currentKeys, Scp03StaticKeys newKeys, byte securityLevel)
        {
            if (currentKeys.KeyVersion == newKeys.KeyVersion)
            {
                throw new ArgumentException("The new key set needs its own key version.", "newKeys");
            }

            byte[] apdu = new byte[300];
            byte[] data = new byte[64];
            ushort sw = PutKeys(session, currentKeys, null, newKeys, GpPutKey.AddNew, apdu, data);
            if (sw != 0x9000)
            {
                return sw;
            }

            if (!session.Open(sdAid, newKeys, securityLevel))
            {
                return ProofFailed;
            }

            // GPC §11.2.2.3: DELETE [key] by key version; the old holder's keys are gone from here on.
            int n = GpDelete.BuildKeySet(currentKeys.KeyVersion, apdu, 0);
            session.Send(apdu, 0, n, data, 0);
            return session.LastStatus;
        }

        /// <summary>
        /// Replaces a domain's key set by a transfer key set in one PUT KEY (GPC §11.8.2.2: P1 = the KVN replaced). In the
        /// holder's own session <paramref name="sdAid"/> is null; in the ISD's session it names the domain, which is first made
        /// the INSTALL [for personalization] target.
        /// </summary>
        /// <param name="session">An open session: on the domain itself, or on the ISD.</param>
        /// <param name="sessionKeys">The static keys of that session.</param>
        /// <param name="sdAid">Null in the holder's own session; the domain's AID in the ISD's session.</param>
        /// <param name="oldKeyVersion">The KVN of the key set to replace.</param>
        /// <param name="transferKeys">The next provider's transfer keys.</param>
        /// <returns>0x9000, the first failing status word or <see cref="KeyCheckMismatch"/>.</returns>
        public static ushort HandOver(GpAdminSession session, Scp03StaticKeys sessionKeys, byte[] sdAid, byte oldKeyVersion, Scp03StaticKeys transferKeys)
        {
            return PutKeys(session, sessionKeys, sdAid, transferKeys, oldKeyVersion, new byte[300], new byte[64]);
        }

        /// <summary>
        /// Adds a request key set (version '60'-'6F', docs/protocol.md §3.9) to a domain in one PUT KEY (GPC §11.8, P1 '00'):
        /// in the owner's ISD session at onboarding (<paramref name="sdAid"/> names the new SSD), or in the holder's own
        /// session (<paramref name="sdAid"/> null) to rotate it: add the new version, prove it with a request MAC'd with it,
        /// then DELETE [key] the old version (<see cref="GpDelete.BuildKeySet"/>), as for SCP03 keys. A provider change
        /// replaces it like the SCP03 set (<see cref="HandOver"/> with the old request key version and the next provider's
        /// transfer request key set).
        /// </summary>
        /// <param name="session">An open session: on the domain itself, or on the ISD.</param>
        /// <param name="sessionKeys">The static keys of that session (their DEK encrypts the new key).</param>
        /// <param name="sdAid">Null in the holder's own session; the domain's AID in the ISD's session.</param>
        /// <param name="requestKeys">The request key set.</param>
        /// <returns>0x9000, the first failing status word or <see cref="KeyCheckMismatch"/>.</returns>
        /// <exception cref="ArgumentException">The key version is not a request key version.</exception>
        public static ushort AddRequestKey(GpAdminSession session, Scp03StaticKeys sessionKeys, byte[] sdAid, Scp03StaticKeys requestKeys)
        {
            if (requestKeys == null || !RequestKey.IsRequestKeyVersion(requestKeys.KeyVersion))
            {
                throw new ArgumentException("A request key set has a key version '60' to '6F'.", "requestKeys");
            }

            return PutKeys(session, sessionKeys, sdAid, requestKeys, GpPutKey.AddNew, new byte[300], new byte[64]);
        }

        private static ushort PutKeys(
            GpAdminSession session, Scp03StaticKeys sessionKeys, byte[] target, Scp03StaticKeys keys, byte replace, byte[] apdu, byte[] data)
        {
            int n;
            if (target != null)
            {
                n = GpInstall.BuildForPersonalization(target, 0, target.Length, apdu, 0);
                session.Send(apdu, 0, n, data, 0);
                if (session.LastStatus != 0x9000)
                {
                    return session.LastStatus;
                }
            }

            n = GpPutKey.Build(keys, sessionKeys, replace, apdu, 0);
            int r = session.Send(apdu, 0, n, data, 0);
            if (session.LastStatus != 0x9000)
            {
                return session.LastStatus;
            }

            return GpPutKey.CheckResponse(keys, data, 0, r) ? (ushort)0x9000 : KeyCheckMismatch;
        }
    }
}
