using System;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Gp
{
    /// <summary>
    /// Rotates a security domain's SCP03 key set so that a failure at any point, power cuts included, leaves a key set that
    /// opens: (1) PUT KEY adds the new key version (P1 '00', GPC v2.3.1 §11.8.2.2), never replacing one in place; (2) a new
    /// session proves the new keys; (3) only then DELETE [key] removes the old key version (§11.2.2.3). Resumable: each run
    /// first probes which of the two key sets open and continues from there. Probing with wrong keys stops at the card
    /// cryptogram, so it never counts against a key set's failed-authentication limit.
    /// </summary>
    public sealed class KeyRotation
    {
        private readonly GpSecureSession _session;
        private readonly byte _securityLevel;
        private readonly int _challengeLength;
        private readonly IKeyRotationObserver _observer;
        private readonly byte[] _command = new byte[5 + 255 + 1];
        private readonly byte[] _response = new byte[64];
        private GpOpenStatus _oldStatus;
        private GpOpenStatus _newStatus;
        private bool _added;

        /// <summary>Creates the procedure.</summary>
        /// <param name="session">The session used for every step (closed at the start of each).</param>
        /// <param name="securityLevel">The level of every session; at least C-MAC (01).</param>
        /// <param name="challengeLength">8 (S8 mode) or 16 (S16 mode).</param>
        /// <param name="observer">Hears each step, or null.</param>
        /// <exception cref="ArgumentNullException"><paramref name="session"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The level lacks C-MAC, or the challenge length is not 8 or 16.</exception>
        public KeyRotation(GpSecureSession session, byte securityLevel, int challengeLength, IKeyRotationObserver observer)
        {
            if (session == null)
            {
                throw new ArgumentNullException("session");
            }

            if ((securityLevel & Scp03SecurityLevel.CMac) == 0 || (challengeLength != 8 && challengeLength != 16))
            {
                throw new ArgumentOutOfRangeException("securityLevel", "PUT KEY and DELETE need a C-MAC session in S8 or S16 mode.");
            }

            _session = session;
            _securityLevel = securityLevel;
            _challengeLength = challengeLength;
            _observer = observer;
        }

        /// <summary>Runs (or resumes) the rotation of one security domain from the old keys to the new ones.</summary>
        /// <param name="sdAid">The security domain's AID.</param>
        /// <param name="oldKeys">The key set in use now.</param>
        /// <param name="newKeys">The key set to move to; its key version must differ from the old one ('01'-'7F').</param>
        /// <returns>The outcome and which keys open a session now.</returns>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ApduException">The card's answer is malformed at the APDU layer.</exception>
        /// <exception cref="SecureChannelException">A response does not verify; the link is not trustworthy.</exception>
        public KeyRotationResult Run(byte[] sdAid, Scp03StaticKeys oldKeys, Scp03StaticKeys newKeys)
        {
            if (sdAid == null || oldKeys == null || newKeys == null)
            {
                throw new ArgumentNullException(sdAid == null ? "sdAid" : oldKeys == null ? "oldKeys" : "newKeys");
            }

            _added = false;
            _oldStatus = GpOpenStatus.InitializeUpdateRejected;
            _newStatus = GpOpenStatus.InitializeUpdateRejected;
            if (oldKeys.KeyVersion == newKeys.KeyVersion)
            {
                return Result(KeyRotationOutcome.SameKeyVersion);
            }

            _newStatus = Open(KeyRotationStep.ProbeNew, sdAid, newKeys);
            if (_newStatus == GpOpenStatus.Opened)
            {
                // Resume: the new key set is in place; only the old one may still need deleting.
                _oldStatus = Open(KeyRotationStep.ProbeOld, sdAid, oldKeys);
                if (_oldStatus == GpOpenStatus.KeyVersionNotFound)
                {
                    return Result(KeyRotationOutcome.Completed);
                }

                if (_oldStatus != GpOpenStatus.Opened)
                {
                    return Result(KeyRotationOutcome.OldKeyVersionUnverified);
                }

                return DeleteOld(sdAid, oldKeys, newKeys);
            }

            if (_newStatus != GpOpenStatus.KeyVersionNotFound)
            {
                _oldStatus = Open(KeyRotationStep.ProbeOld, sdAid, oldKeys);
                return Result(KeyRotationOutcome.NewKeyVersionUnusable);
            }

            _oldStatus = Open(KeyRotationStep.ProbeOld, sdAid, oldKeys);
            if (_oldStatus != GpOpenStatus.Opened)
            {
                return Result(KeyRotationOutcome.NoWorkingKeys);
            }

            // Step 1: add, never replace (P1 '00'); the new keys travel encrypted under the old Key-DEK (GP Amd D §7.2).
            int n = GpPutKey.Build(newKeys, oldKeys, GpPutKey.AddNew, _command, 0);
            int r = _session.Send(_command, 0, n, _response, 0);
            bool confirmed = _session.LastStatusWord == StatusWord.Success && GpPutKey.CheckResponse(newKeys, _response, 0, r - 2);
            Report(KeyRotationStep.PutKey, confirmed, GpOpenStatus.Opened);
            if (!confirmed)
            {
                ushort sw = _session.LastStatusWord;
                _newStatus = Open(KeyRotationStep.ProbeNew, sdAid, newKeys);
                _oldStatus = Open(KeyRotationStep.ProbeOld, sdAid, oldKeys);
                return new KeyRotationResult(KeyRotationOutcome.PutKeyRejected, _oldStatus, _newStatus, sw, false);
            }

            _added = true;
            return DeleteOld(sdAid, oldKeys, newKeys);
        }

        private KeyRotationResult DeleteOld(byte[] sdAid, Scp03StaticKeys oldKeys, Scp03StaticKeys newKeys)
        {
            // Step 2: prove the new keys before anything is taken away.
            _newStatus = Open(KeyRotationStep.ProveNew, sdAid, newKeys);
            if (_newStatus != GpOpenStatus.Opened)
            {
                _oldStatus = Open(KeyRotationStep.ProbeOld, sdAid, oldKeys);
                return Result(KeyRotationOutcome.NewKeysDoNotOpen);
            }

            // Step 3: delete the old key version from the session the new keys opened.
            int n = GpDelete.BuildKeySet(oldKeys.KeyVersion, _command, 0);
            _session.Send(_command, 0, n, _response, 0);
            ushort sw = _session.LastStatusWord;
            bool deleted = sw == StatusWord.Success;
            Report(KeyRotationStep.DeleteOld, deleted, GpOpenStatus.Opened);
            _oldStatus = Open(KeyRotationStep.VerifyOldGone, sdAid, oldKeys);
            if (!deleted)
            {
                return new KeyRotationResult(KeyRotationOutcome.DeleteRejected, _oldStatus, _newStatus, sw, _added);
            }

            _newStatus = Open(KeyRotationStep.ProbeNew, sdAid, newKeys);
            return Result(_newStatus == GpOpenStatus.Opened && _oldStatus == GpOpenStatus.KeyVersionNotFound
                ? KeyRotationOutcome.Completed
                : KeyRotationOutcome.OldKeyVersionUnverified);
        }

        private GpOpenStatus Open(KeyRotationStep step, byte[] sdAid, Scp03StaticKeys keys)
        {
            GpOpenStatus status = _session.Open(sdAid, keys, _securityLevel, _challengeLength);
            bool succeeded = step == KeyRotationStep.VerifyOldGone ? status == GpOpenStatus.KeyVersionNotFound : status == GpOpenStatus.Opened;
            Report(step, succeeded, status);
            return status;
        }

        private void Report(KeyRotationStep step, bool succeeded, GpOpenStatus status)
        {
            if (_observer != null)
            {
                _observer.Step(step, succeeded, status, _session.LastStatusWord);
            }
        }

        private KeyRotationResult Result(KeyRotationOutcome outcome)
        {
            return new KeyRotationResult(outcome, _oldStatus, _newStatus, _session.LastStatusWord, _added);
        }
    }
}
