using System;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;

namespace NanoAgent.Drivers.Lifecycle
{
    /// <summary>
    /// Delegated management tokens (GPC v2.3.1 §9.2.2 delegated management, Annex C.4 tokens): the data a domain owner signs
    /// and the commands that carry the signature. Signed data, after GPC C.4.2 (install token) and C.4.5 (delete token):
    /// <c>P1 | P2 | L | data</c>, where data is the command data without the token field and L its length. For INSTALL
    /// [for install and make selectable] data = L load file AID | L module AID | L instance AID | L privileges | L install
    /// parameters; for DELETE data = '4F' L AID. The token itself is an ECDSA P-256 signature over SHA-256 of the signed data,
    /// r | s, 64 bytes (our choice within GP's "asymmetric token"; GP cards mostly use RSA). INSTALL carries it in the token
    /// field (§11.5.2.3), DELETE in tag '9E' after the AID (§11.2.2.4). Portable: builds bytes only, the signature is made by
    /// the owner's backend and checked inside the SE.
    /// </summary>
    public static class DelegatedToken
    {
        /// <summary>The token length: an ECDSA P-256 signature r | s.</summary>
        public const int TokenLength = 64;

        /// <summary>The tag of the token in DELETE data (GPC §11.2.2.4).</summary>
        public const byte DeleteTokenTag = 0x9E;

        /// <summary>Builds INSTALL [for install and make selectable] without token and returns the data the owner signs.</summary>
        /// <param name="loadFileAid">The load file AID.</param>
        /// <param name="moduleAid">The module AID.</param>
        /// <param name="instanceAid">The instance AID.</param>
        /// <param name="privileges">1 or 3 privilege bytes.</param>
        /// <param name="applicationParameters">The value of 'C9' (may be empty).</param>
        /// <param name="signed">Buffer receiving the signed data (at least 100 bytes).</param>
        /// <param name="offset">Where it goes.</param>
        /// <returns>The signed data length.</returns>
        /// <exception cref="ApduException">A field has a bad length.</exception>
        public static int InstallSignedData(
            byte[] loadFileAid, byte[] moduleAid, byte[] instanceAid, byte[] privileges, byte[] applicationParameters, byte[] signed, int offset)
        {
            byte[] apdu = new byte[300];
            int n = GpInstall.BuildForInstallAndMakeSelectable(loadFileAid, moduleAid, instanceAid, privileges, applicationParameters, apdu, 0);

            // apdu = CLA INS P1 P2 Lc data… 00(token length) 00(Le): the signed data leaves out the token length byte.
            return Signed(apdu, n - 7, signed, offset);
        }

        /// <summary>Builds INSTALL [for install and make selectable] carrying a token.</summary>
        /// <param name="loadFileAid">The load file AID.</param>
        /// <param name="moduleAid">The module AID.</param>
        /// <param name="instanceAid">The instance AID.</param>
        /// <param name="privileges">1 or 3 privilege bytes.</param>
        /// <param name="applicationParameters">The value of 'C9' (may be empty).</param>
        /// <param name="token">The token (1 to 127 bytes).</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="ApduException">A field has a bad length or the command exceeds 255 data bytes.</exception>
        public static int BuildInstall(
            byte[] loadFileAid, byte[] moduleAid, byte[] instanceAid, byte[] privileges, byte[] applicationParameters, byte[] token, byte[] apdu, int offset)
        {
            CheckToken(token);
            int n = GpInstall.BuildForInstallAndMakeSelectable(loadFileAid, moduleAid, instanceAid, privileges, applicationParameters, apdu, offset);
            return Append(apdu, offset, offset + n - 2, token, false);
        }

        /// <summary>Returns the data the owner signs for DELETE of an entry: P1 '00' | P2 | L | '4F' L AID.</summary>
        /// <param name="aid">The AID to delete.</param>
        /// <param name="related">True for P2 '80' (delete related objects too).</param>
        /// <param name="signed">Buffer receiving the signed data.</param>
        /// <param name="offset">Where it goes.</param>
        /// <returns>The signed data length.</returns>
        /// <exception cref="ApduException">The AID is not 5 to 16 bytes.</exception>
        public static int DeleteSignedData(byte[] aid, bool related, byte[] signed, int offset)
        {
            byte[] apdu = new byte[32];
            int n = GpDelete.BuildAid(aid, 0, aid == null ? 0 : aid.Length, related, apdu, 0);
            return Signed(apdu, n - 6, signed, offset);
        }

        /// <summary>Builds DELETE of an entry carrying a token in tag '9E'.</summary>
        /// <param name="aid">The AID to delete.</param>
        /// <param name="related">True for P2 '80'.</param>
        /// <param name="token">The token (1 to 127 bytes).</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="ApduException">The AID is not 5 to 16 bytes or the buffer is too small.</exception>
        public static int BuildDelete(byte[] aid, bool related, byte[] token, byte[] apdu, int offset)
        {
            CheckToken(token);
            int n = GpDelete.BuildAid(aid, 0, aid == null ? 0 : aid.Length, related, apdu, offset);
            return Append(apdu, offset, offset + n - 1, token, true);
        }

        private static int Signed(byte[] apdu, int dataCount, byte[] signed, int offset)
        {
            if (signed == null || offset < 0 || offset > signed.Length - (3 + dataCount))
            {
                throw new ApduException(ApduError.BufferTooSmall, "The signed data buffer is too small.");
            }

            signed[offset] = apdu[2];
            signed[offset + 1] = apdu[3];
            signed[offset + 2] = (byte)dataCount;
            Array.Copy(apdu, 5, signed, offset + 3, dataCount);
            return 3 + dataCount;
        }

        private static int Append(byte[] apdu, int offset, int at, byte[] token, bool tagged)
        {
            // at points at the token length byte (INSTALL) or at Le (DELETE).
            int extra = (tagged ? 2 : 1) + token.Length;
            int lc = apdu[offset + 4] + extra - (tagged ? 0 : 1);
            if (lc > 255 || apdu.Length < at + extra + 1)
            {
                throw new ApduException(ApduError.BufferTooSmall, "The command with its token does not fit.");
            }

            int end = at;
            if (tagged)
            {
                apdu[end++] = DeleteTokenTag;
            }

            apdu[end++] = (byte)token.Length;
            Array.Copy(token, 0, apdu, end, token.Length);
            end += token.Length;
            apdu[end++] = 0x00; // Le
            apdu[offset + 4] = (byte)lc;
            return end - offset;
        }

        private static void CheckToken(byte[] token)
        {
            if (token == null || token.Length == 0 || token.Length > 127)
            {
                throw new ApduException(ApduError.InvalidField, "A token is 1 to 127 bytes.");
            }
        }
    }
}
