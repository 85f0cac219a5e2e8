namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Builds the writes of authentication objects, as NXP's middleware sends them (se05x_APDU_impl.h Se05x_API_WriteUserID,
    /// Se05x_API_WriteSymmKey with INS_WRITE | INS_AUTH_OBJECT = 41): [TLV[TAG_POLICY]] [TLV[TAG_MAX_ATTEMPTS] 2 bytes, left out
    /// when 0 = unlimited (tlvSet_MaxAttemps)] TLV[TAG_1] id, then TLV[TAG_2] the UserID (4 to 16 bytes) or TLV[TAG_3] the
    /// 16-byte AESKey value (one value for SCP03's ENC, MAC and DEK). Policy and attempts apply only when the object is
    /// created; an update (key rotation) sends neither. Nothing is allocated after construction.
    /// </summary>
    public sealed class Se05xAuthObjectCommands
    {
        /// <summary>The length of an AESKey authentication object's value.</summary>
        public const int AesKeyLength = 16;

        private readonly Se05xApduWriter _apdu;

        /// <summary>Creates a builder with its own payload buffer.</summary>
        public Se05xAuthObjectCommands()
            : this(new Se05xApduWriter())
        {
        }

        internal Se05xAuthObjectCommands(Se05xApduWriter apdu)
        {
            _apdu = apdu;
        }

        /// <summary>WriteUserID creating a UserID authentication object: <c>80 41 07 00</c>.</summary>
        /// <param name="objectId">The object identifier, not 0.</param>
        /// <param name="userId">Buffer holding the UserID value.</param>
        /// <param name="userIdOffset">First byte.</param>
        /// <param name="userIdCount">4 to 16 bytes.</param>
        /// <param name="maxAttempts">Failed attempts before the object blocks, 1 to 255; 0 for unlimited.</param>
        /// <param name="policy">Buffer holding a policy (<see cref="Se05xPolicy"/>), or null.</param>
        /// <param name="policyOffset">First policy byte.</param>
        /// <param name="policyCount">Policy length, 0 for none.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad argument or a small buffer.</exception>
        public int WriteUserId(
            uint objectId, byte[] userId, int userIdOffset, int userIdCount, int maxAttempts,
            byte[] policy, int policyOffset, int policyCount, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(objectId != 0, "Object id 0 is not a valid identifier.");
            Se05xObjectCommands.Check(userIdCount >= 4 && userIdCount <= 16, "A UserID has 4 to 16 bytes.");
            Se05xObjectCommands.Check(maxAttempts >= 0 && maxAttempts <= 255, "A UserID takes 0 (unlimited) to 255 attempts.");
            _apdu.Begin();
            Header(policy, policyOffset, policyCount, maxAttempts, objectId);
            _apdu.Bytes(Se05xCodes.Tag2, userId, userIdOffset, userIdCount);
            return _apdu.Finish(Ins, Se05xCodes.P1UserId, Se05xCodes.P2Default, false, buffer, offset);
        }

        /// <summary>WriteSymmKey creating an AESKey authentication object: <c>80 41 03 00</c>.</summary>
        /// <param name="objectId">The object identifier, not 0.</param>
        /// <param name="key">Buffer holding the 16-byte key.</param>
        /// <param name="keyOffset">First key byte.</param>
        /// <param name="maxAttempts">Failed attempts before the object blocks, 1 to 65535; 0 for unlimited.</param>
        /// <param name="policy">Buffer holding a policy (<see cref="Se05xPolicy"/>), or null.</param>
        /// <param name="policyOffset">First policy byte.</param>
        /// <param name="policyCount">Policy length, 0 for none.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad argument or a small buffer.</exception>
        public int WriteAesKey(
            uint objectId, byte[] key, int keyOffset, int maxAttempts, byte[] policy, int policyOffset, int policyCount, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(objectId != 0, "Object id 0 is not a valid identifier.");
            Se05xObjectCommands.Check(maxAttempts >= 0 && maxAttempts <= 0xFFFF, "TAG_MAX_ATTEMPTS is 0 (unlimited) to 65535.");
            _apdu.Begin();
            Header(policy, policyOffset, policyCount, maxAttempts, objectId);
            _apdu.Bytes(Se05xCodes.Tag3, key, keyOffset, AesKeyLength);
            return _apdu.Finish(Ins, Se05xCodes.P1Aes, Se05xCodes.P2Default, false, buffer, offset);
        }

        /// <summary>WriteSymmKey giving an existing AESKey authentication object a new value (rotation): <c>80 41 03 00</c> TAG_1 id, TAG_3 key.</summary>
        /// <param name="objectId">The object identifier.</param>
        /// <param name="key">Buffer holding the new 16-byte key.</param>
        /// <param name="keyOffset">First key byte.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int UpdateAesKey(uint objectId, byte[] key, int keyOffset, byte[] buffer, int offset)
        {
            return WriteAesKey(objectId, key, keyOffset, 0, null, 0, 0, buffer, offset);
        }

        private static byte Ins
        {
            get { return (byte)(Se05xCodes.InsWrite | Se05xCodes.InsAuthObjectFlag); }
        }

        private void Header(byte[] policy, int policyOffset, int policyCount, int maxAttempts, uint objectId)
        {
            if (policyCount > 0)
            {
                _apdu.Bytes(Se05xCodes.TagPolicy, policy, policyOffset, policyCount);
            }

            if (maxAttempts != 0)
            {
                _apdu.U16(Se05xCodes.TagMaxAttempts, maxAttempts);
            }

            _apdu.U32(Se05xCodes.Tag1, objectId);
        }
    }
}
