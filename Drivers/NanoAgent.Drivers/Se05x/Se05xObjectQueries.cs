namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Builds the commands that find out which secure objects exist and what they are, byte for byte as NXP's middleware
    /// sends them (se05x_APDU_impl.h): ReadIDList (<c>80 02 00 25</c>, extended Lc and Le), ReadType (<c>80 02 00 26</c>)
    /// and ReadSize (<c>80 02 00 07</c>), the last two without Le. Read the answers with <see cref="Se05xObjectInfo"/>.
    /// Nothing is allocated after construction.
    /// </summary>
    public sealed class Se05xObjectQueries
    {
        private readonly Se05xApduWriter _apdu;

        /// <summary>Creates a builder with its own payload buffer.</summary>
        public Se05xObjectQueries()
            : this(new Se05xApduWriter())
        {
        }

        internal Se05xObjectQueries(Se05xApduWriter apdu)
        {
            _apdu = apdu;
        }

        /// <summary>
        /// ReadIDList: TLV[TAG_1] 2-byte offset (how many ids were read already), TLV[TAG_2] type filter (Se05x_API_ReadIDList,
        /// sent with DoAPDUTxRx_s_Case4_ext). The answer is TLV[TAG_1] more indicator and TLV[TAG_2] 4-byte ids.
        /// </summary>
        /// <param name="startIndex">Ids already read, 0 to 65535.</param>
        /// <param name="filter">A secure object type (ReadType codes) or <see cref="Se05xCodes.AllTypes"/>.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad offset or a small buffer.</exception>
        public int ReadIdList(int startIndex, byte filter, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(startIndex >= 0 && startIndex <= 0xFFFF, "The ReadIDList offset is 0 to 65535.");
            _apdu.Begin();
            _apdu.U16(Se05xCodes.Tag1, startIndex);
            _apdu.U8(Se05xCodes.Tag2, filter);
            return _apdu.Finish(Se05xCodes.InsRead, Se05xCodes.P1Default, Se05xCodes.P2List, true, buffer, offset);
        }

        /// <summary>ReadType: TLV[TAG_1] object id (Se05x_API_ReadType); the answer is TLV[TAG_1] type, TLV[TAG_2] transient indicator.</summary>
        /// <param name="objectId">The object identifier.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int ReadType(uint objectId, byte[] buffer, int offset)
        {
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, objectId);
            return _apdu.Finish(Se05xCodes.InsRead, Se05xCodes.P1Default, Se05xCodes.P2Type, false, buffer, offset);
        }

        /// <summary>ReadSize: TLV[TAG_1] object id (Se05x_API_ReadSize); the answer is TLV[TAG_1] with a 2-byte size.</summary>
        /// <param name="objectId">The object identifier.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int ReadSize(uint objectId, byte[] buffer, int offset)
        {
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, objectId);
            return _apdu.Finish(Se05xCodes.InsRead, Se05xCodes.P1Default, Se05xCodes.P2Size, false, buffer, offset);
        }
    }
}
