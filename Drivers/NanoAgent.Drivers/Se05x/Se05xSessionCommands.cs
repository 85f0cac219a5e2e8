using System;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Builds the applet session commands byte for byte as NXP's middleware sends them (se05x_APDU_impl.h, se05x_tlv.c):
    /// CreateSession <c>80 04 00 1B</c> TLV[TAG_1] auth id (default session; the answer is TLV[TAG_1] 8-byte id), and the
    /// in-session VerifySessionUserID <c>80 04 00 2C</c> TLV[TAG_1] value and CloseSession <c>80 04 00 1C</c>; and wraps an
    /// inner APDU into ProcessSessionCmd (se05x_Transform): <c>80 05 00 00</c> Lc, TLV[TAG_SESSION_ID 10] 8-byte id,
    /// TLV[TAG_1] the inner APDU, and when the inner command expects a long answer Le <c>00 00</c>. The inner APDU carries no
    /// Le; its Lc is one byte below FF without a long answer and <c>00 hh ll</c> otherwise (<see cref="ToInner"/>). The
    /// answer to ProcessSessionCmd is the inner answer itself. Nothing is allocated after construction.
    /// </summary>
    public sealed class Se05xSessionCommands
    {
        private readonly Se05xApduWriter _apdu;

        /// <summary>Creates a builder that lets outer payloads up to 1024 bytes through (applet 7.x).</summary>
        public Se05xSessionCommands()
            : this(new Se05xApduWriter())
        {
        }

        /// <summary>Creates a builder that refuses outer payloads above the applet's limit with <see cref="Se05xError.PayloadTooLong"/>.</summary>
        /// <param name="maxPayload">The applet's limit, <see cref="Se05xAppletVersion.MaxPayload"/>.</param>
        public Se05xSessionCommands(int maxPayload)
            : this(new Se05xApduWriter(maxPayload))
        {
        }

        internal Se05xSessionCommands(Se05xApduWriter apdu)
        {
            _apdu = apdu;
        }

        /// <summary>CreateSession for an authentication object (UserID or AESKey).</summary>
        /// <param name="authObjectId">The authentication object.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int CreateSession(uint authObjectId, byte[] buffer, int offset)
        {
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, authObjectId);
            return _apdu.Finish(Se05xCodes.InsMgmt, Se05xCodes.P1Default, Se05xCodes.P2SessionCreate, false, buffer, offset);
        }

        /// <summary>VerifySessionUserID, the inner command that authenticates a UserID session.</summary>
        /// <param name="userId">Buffer holding the UserID value.</param>
        /// <param name="userIdOffset">First byte.</param>
        /// <param name="userIdCount">4 to 16 bytes.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad length or a small buffer.</exception>
        public int VerifySessionUserId(byte[] userId, int userIdOffset, int userIdCount, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(userIdCount >= 4 && userIdCount <= 16, "A UserID has 4 to 16 bytes.");
            _apdu.Begin();
            _apdu.Bytes(Se05xCodes.Tag1, userId, userIdOffset, userIdCount);
            return _apdu.Finish(Se05xCodes.InsMgmt, Se05xCodes.P1Default, Se05xCodes.P2SessionUserId, false, buffer, offset);
        }

        /// <summary>CloseSession, the inner command that ends the session it is sent in: the four header bytes only.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>4.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int CloseSession(byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(buffer != null && offset >= 0 && offset <= buffer.Length - 4, "The command does not fit the buffer.");
            buffer[offset] = Se05xCodes.Cla;
            buffer[offset + 1] = Se05xCodes.InsMgmt;
            buffer[offset + 2] = Se05xCodes.P1Default;
            buffer[offset + 3] = Se05xCodes.P2SessionClose;
            return 4;
        }

        /// <summary>Wraps an inner APDU (in inner form, see <see cref="ToInner"/>) into ProcessSessionCmd for a session.</summary>
        /// <param name="sessionId">Buffer holding the 8-byte session id.</param>
        /// <param name="sessionIdOffset">First id byte.</param>
        /// <param name="inner">Buffer holding the inner APDU (plain, or SCP03-wrapped in an AESKey session).</param>
        /// <param name="innerOffset">First byte.</param>
        /// <param name="innerCount">Length.</param>
        /// <param name="expectLongResponse">True when the inner command expects a long answer (extended Lc and Le 0000 outside).</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> or <see cref="Se05xError.PayloadTooLong"/>.</exception>
        public int ProcessSessionCommand(
            byte[] sessionId, int sessionIdOffset, byte[] inner, int innerOffset, int innerCount, bool expectLongResponse, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(innerCount >= 4, "An inner APDU has at least its four header bytes.");
            _apdu.Begin();
            _apdu.Bytes(Se05xCodes.TagSessionId, sessionId, sessionIdOffset, Se05xObjectInfo.SessionIdLength);
            _apdu.Bytes(Se05xCodes.Tag1, inner, innerOffset, innerCount);
            return _apdu.Finish(Se05xCodes.InsProcess, Se05xCodes.P1Default, Se05xCodes.P2Default, expectLongResponse, buffer, offset);
        }

        /// <summary>
        /// Turns a command APDU as the builders write it into the form it takes inside a session (se05x_Transform): no Le;
        /// Lc one byte below FF for a command without a long answer, else <c>00 hh ll</c>; no Lc without data. A long answer is
        /// what the builders ask for with an extended Le.
        /// </summary>
        /// <param name="apdu">Buffer holding the command.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <param name="output">Destination (may not overlap the command).</param>
        /// <param name="outputOffset">Where the inner CLA byte goes.</param>
        /// <param name="expectLongResponse">True when the command asked for a long answer.</param>
        /// <returns>The inner APDU length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a malformed command or a small buffer.</exception>
        public static int ToInner(byte[] apdu, int offset, int count, byte[] output, int outputOffset, out bool expectLongResponse)
        {
            CommandApduView view;
            Se05xObjectCommands.Check(CommandApduView.TryParse(apdu, offset, count, out view) == 0, "The command APDU is malformed.");
            expectLongResponse = view.IsExtended && view.HasLe;
            bool longLc = view.Nc >= 0xFF || expectLongResponse;
            int total = 4 + (view.Nc == 0 ? 0 : longLc ? 3 : 1) + view.Nc;
            Se05xObjectCommands.Check(output != null && outputOffset >= 0 && outputOffset <= output.Length - total, "The inner command does not fit the buffer.");
            output[outputOffset] = view.Cla;
            output[outputOffset + 1] = view.Ins;
            output[outputOffset + 2] = view.P1;
            output[outputOffset + 3] = view.P2;
            int p = outputOffset + 4;
            if (view.Nc > 0)
            {
                if (longLc)
                {
                    output[p++] = 0;
                    output[p++] = (byte)(view.Nc >> 8);
                }

                output[p++] = (byte)view.Nc;
                Array.Copy(apdu, view.DataOffset, output, p, view.Nc);
            }

            return total;
        }
    }
}
