using System;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Builds the SE05x IoT applet commands that select the applet and manage secure objects: keys, counters, random.
    /// Each method writes one command APDU into the caller's buffer and returns its length; nothing is allocated after
    /// construction. Byte layouts: AN12413 §4.5-§4.7 and the middleware functions named on each method.
    /// </summary>
    public sealed class Se05xObjectCommands
    {
        /// <summary>The largest command APDU a method writes: header, extended Lc and Le around the largest payload.</summary>
        public const int MaxCommandLength = 4 + 3 + Se05xApduWriter.MaxPayload + 2;

        // AN12413 §3.1 / middleware sm_const.h APPLET_NAME: the SE05x IoT applet AID (16 bytes).
        private static readonly byte[] AppletAid =
        {
            0xA0, 0x00, 0x00, 0x03, 0x96, 0x54, 0x53, 0x00, 0x00, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00,
        };

        private readonly Se05xApduWriter _apdu;

        /// <summary>Creates a builder with its own payload buffer, letting payloads up to 1024 bytes through (applet 7.x).</summary>
        public Se05xObjectCommands()
            : this(new Se05xApduWriter())
        {
        }

        /// <summary>Creates a builder that refuses payloads above the applet's limit with <see cref="Se05xError.PayloadTooLong"/>.</summary>
        /// <param name="maxPayload">The applet's limit: <see cref="Se05xAppletVersion.MaxPayload"/> (892 on 3.x, 1024 on 7.x).</param>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the limit is not 1 to 1024.</exception>
        public Se05xObjectCommands(int maxPayload)
            : this(new Se05xApduWriter(maxPayload))
        {
        }

        internal Se05xObjectCommands(Se05xApduWriter apdu)
        {
            _apdu = apdu;
        }

        /// <summary>Gets the length of the applet AID.</summary>
        public static int AidLength
        {
            get { return AppletAid.Length; }
        }

        /// <summary>Copies the applet AID A0000003965453000000010300000000 into a buffer.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the first byte goes.</param>
        /// <returns>16.</returns>
        public static int CopyAid(byte[] buffer, int offset)
        {
            Array.Copy(AppletAid, 0, buffer, offset, AppletAid.Length);
            return AppletAid.Length;
        }

        /// <summary>
        /// SELECT by AID of the IoT applet: <c>00 A4 04 00 10 AID 00</c> (ISO/IEC 7816-4 §11.2.2; middleware GP_Select).
        /// The answer is parsed by <see cref="Se05xAppletVersion.TryParse"/>.
        /// </summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length (22).</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int Select(byte[] buffer, int offset)
        {
            try
            {
                return CommandApdu.Write(0x00, 0xA4, 0x04, 0x00, AppletAid, 0, AppletAid.Length, 256, ApduLengthForm.Short, buffer, offset);
            }
            catch (ApduException e)
            {
                throw new Se05xException(Se05xError.InvalidArgument, e.Message);
            }
        }

        /// <summary>GetVersion: <c>80 04 00 20 00</c> (Se05x_API_GetVersion); the answer is TLV[TAG_1] with the 7-byte version.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int GetVersion(byte[] buffer, int offset)
        {
            _apdu.Begin();
            return _apdu.Finish(Se05xCodes.InsMgmt, Se05xCodes.P1Default, Se05xCodes.P2Version, false, buffer, offset);
        }

        /// <summary>GetRandom: TLV[TAG_1] 2-byte size (Se05x_API_GetRandom); the answer is TLV[TAG_1] with the random bytes.</summary>
        /// <param name="size">How many random bytes, 1 to 512.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad size or a small buffer.</exception>
        public int GetRandom(int size, byte[] buffer, int offset)
        {
            Check(size >= 1 && size <= 512, "GetRandom asks for 1 to 512 bytes.");
            _apdu.Begin();
            _apdu.U16(Se05xCodes.Tag1, size);
            return _apdu.Finish(Se05xCodes.InsMgmt, Se05xCodes.P1Default, Se05xCodes.P2Random, true, buffer, offset);
        }

        /// <summary>
        /// WriteSymmKey: creates or overwrites an AES or HMAC key object (Se05x_API_WriteSymmKey; AN12413 WriteSymmKey):
        /// <c>80 01 P1 00</c> with [TLV[TAG_POLICY]] TLV[TAG_1] object id, TLV[TAG_3] key value.
        /// </summary>
        /// <param name="type">AES (for CMAC) or HMAC.</param>
        /// <param name="objectId">The object identifier, not 0.</param>
        /// <param name="key">Buffer holding the key value.</param>
        /// <param name="keyOffset">First key byte.</param>
        /// <param name="keyCount">Key length: 16, 24 or 32 for AES; 1 to 256 for HMAC.</param>
        /// <param name="policy">Buffer holding a policy set written by <see cref="Se05xPolicy"/>, or null for the default policy.</param>
        /// <param name="policyOffset">First policy byte.</param>
        /// <param name="policyCount">Policy length, 0 for none.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad argument or a small buffer.</exception>
        public int WriteSymmKey(
            Se05xSymmetricKeyType type, uint objectId, byte[] key, int keyOffset, int keyCount,
            byte[] policy, int policyOffset, int policyCount, byte[] buffer, int offset)
        {
            Check(objectId != 0, "Object id 0 is not a valid identifier.");
            Check(type == Se05xSymmetricKeyType.Aes || type == Se05xSymmetricKeyType.Hmac, "Only AES and HMAC keys are supported.");
            bool lengthOk = type == Se05xSymmetricKeyType.Aes
                ? keyCount == 16 || keyCount == 24 || keyCount == 32
                : keyCount >= 1 && keyCount <= 256;
            Check(lengthOk, "The key length does not suit the key type.");
            _apdu.Begin();
            Policy(policy, policyOffset, policyCount);
            _apdu.U32(Se05xCodes.Tag1, objectId);
            _apdu.Bytes(Se05xCodes.Tag3, key, keyOffset, keyCount);
            return _apdu.Finish(Se05xCodes.InsWrite, (byte)type, Se05xCodes.P2Default, false, buffer, offset);
        }

        /// <summary>
        /// WriteECKey without key values, so the SE generates a NIST P-256 key pair inside (Se05x_API_WriteECKey with
        /// P1 = P1_EC | P1_KEY_PAIR = 0x61): [TLV[TAG_POLICY]] TLV[TAG_1] object id, TLV[TAG_2] curve 03.
        /// The curve must have been created on the SE once (CreateECCurve; not built here).
        /// </summary>
        /// <param name="objectId">The object identifier, not 0.</param>
        /// <param name="policy">Buffer holding a policy set, or null.</param>
        /// <param name="policyOffset">First policy byte.</param>
        /// <param name="policyCount">Policy length, 0 for none.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad argument or a small buffer.</exception>
        public int GenerateEcKeyPair(uint objectId, byte[] policy, int policyOffset, int policyCount, byte[] buffer, int offset)
        {
            Check(objectId != 0, "Object id 0 is not a valid identifier.");
            _apdu.Begin();
            Policy(policy, policyOffset, policyCount);
            _apdu.U32(Se05xCodes.Tag1, objectId);
            _apdu.U8(Se05xCodes.Tag2, Se05xCodes.CurveNistP256);
            return _apdu.Finish(Se05xCodes.InsWrite, (byte)(Se05xCodes.P1Ec | Se05xCodes.P1KeyPair), Se05xCodes.P2Default, false, buffer, offset);
        }

        /// <summary>
        /// ReadObject: TLV[TAG_1] object id (Se05x_API_ReadObject, sent with extended Lc and Le). Reads the public key of an
        /// EC key pair or public key object, or the value of a counter; secret keys cannot be read.
        /// </summary>
        /// <param name="objectId">The object identifier.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int ReadObject(uint objectId, byte[] buffer, int offset)
        {
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, objectId);
            return _apdu.Finish(Se05xCodes.InsRead, Se05xCodes.P1Default, Se05xCodes.P2Default, true, buffer, offset);
        }

        /// <summary>CheckObjectExists: <c>80 04 00 27</c> TLV[TAG_1] object id (Se05x_API_CheckObjectExists); answer TLV[TAG_1] result.</summary>
        /// <param name="objectId">The object identifier.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int CheckObjectExists(uint objectId, byte[] buffer, int offset)
        {
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, objectId);
            return _apdu.Finish(Se05xCodes.InsMgmt, Se05xCodes.P1Default, Se05xCodes.P2Exist, false, buffer, offset);
        }

        /// <summary>DeleteSecureObject: <c>80 04 00 28</c> TLV[TAG_1] object id (Se05x_API_DeleteSecureObject).</summary>
        /// <param name="objectId">The object identifier.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int DeleteSecureObject(uint objectId, byte[] buffer, int offset)
        {
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, objectId);
            return _apdu.Finish(Se05xCodes.InsMgmt, Se05xCodes.P1Default, Se05xCodes.P2DeleteObject, false, buffer, offset);
        }

        /// <summary>
        /// WriteCounter creating a counter (Se05x_API_CreateCounter / AN12413 WriteCounter, <c>80 01 08 00</c>):
        /// [TLV[TAG_POLICY]] TLV[TAG_1] id, TLV[TAG_2] 2-byte size; with an initial value TLV[TAG_3] replaces TAG_2
        /// (AN12413: TAG_2 only "if TAG_3 is not given").
        /// </summary>
        /// <param name="objectId">The counter identifier, not 0.</param>
        /// <param name="size">Counter size in bytes, 1 to 8.</param>
        /// <param name="initialValue">The first value; 0 sends the size only.</param>
        /// <param name="policy">Buffer holding a policy set, or null.</param>
        /// <param name="policyOffset">First policy byte.</param>
        /// <param name="policyCount">Policy length, 0 for none.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad argument or a small buffer.</exception>
        public int CreateCounter(uint objectId, int size, ulong initialValue, byte[] policy, int policyOffset, int policyCount, byte[] buffer, int offset)
        {
            Check(objectId != 0, "Object id 0 is not a valid identifier.");
            CheckCounter(size, initialValue);
            _apdu.Begin();
            Policy(policy, policyOffset, policyCount);
            _apdu.U32(Se05xCodes.Tag1, objectId);
            if (initialValue == 0)
            {
                _apdu.U16(Se05xCodes.Tag2, size);
            }
            else
            {
                _apdu.Sized(Se05xCodes.Tag3, initialValue, size);
            }

            return _apdu.Finish(Se05xCodes.InsWrite, Se05xCodes.P1Counter, Se05xCodes.P2Default, false, buffer, offset);
        }

        /// <summary>IncrementCounter: WriteCounter with TLV[TAG_1] only, "if not present, increment by 1" (Se05x_API_IncCounter).</summary>
        /// <param name="objectId">The counter identifier.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int IncrementCounter(uint objectId, byte[] buffer, int offset)
        {
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, objectId);
            return _apdu.Finish(Se05xCodes.InsWrite, Se05xCodes.P1Counter, Se05xCodes.P2Default, false, buffer, offset);
        }

        /// <summary>
        /// WriteCounter setting a value: TLV[TAG_1] id, TLV[TAG_3] value in exactly the counter's size (Se05x_API_SetCounterValue).
        /// The SE refuses a value below the current one: counters only go up (AN12413 WriteCounter).
        /// </summary>
        /// <param name="objectId">The counter identifier.</param>
        /// <param name="size">The counter's size in bytes, 1 to 8.</param>
        /// <param name="value">The new value.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad argument or a small buffer.</exception>
        public int SetCounter(uint objectId, int size, ulong value, byte[] buffer, int offset)
        {
            CheckCounter(size, value);
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, objectId);
            _apdu.Sized(Se05xCodes.Tag3, value, size);
            return _apdu.Finish(Se05xCodes.InsWrite, Se05xCodes.P1Counter, Se05xCodes.P2Default, false, buffer, offset);
        }

        /// <summary>ReadCounter is ReadObject on the counter: the answer's TLV[TAG_1] holds the value, big-endian, in the counter's size.</summary>
        /// <param name="objectId">The counter identifier.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int ReadCounter(uint objectId, byte[] buffer, int offset)
        {
            return ReadObject(objectId, buffer, offset);
        }

        internal static void Check(bool condition, string message)
        {
            if (!condition)
            {
                throw new Se05xException(Se05xError.InvalidArgument, message);
            }
        }

        private static void CheckCounter(int size, ulong value)
        {
            Check(size >= 1 && size <= 8, "A counter has 1 to 8 bytes.");
            Check(size == 8 || (value >> (8 * size)) == 0, "The value does not fit the counter size.");
        }

        private void Policy(byte[] policy, int offset, int count)
        {
            if (count > 0)
            {
                _apdu.Bytes(Se05xCodes.TagPolicy, policy, offset, count);
            }
        }
    }
}
