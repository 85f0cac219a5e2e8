namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Builds the multi-step MAC commands and their crypto objects, byte for byte as NXP's middleware sends them
    /// (se05x_APDU_impl.h): CreateCryptoObject <c>80 01 10 00</c> (TAG_1 2-byte id, TAG_2 context 03, TAG_3 MAC algorithm),
    /// DeleteCryptoObject <c>80 04 10 28</c>, MACInit <c>80 03 0D 03</c> (generate) or <c>44</c> (validate) with TAG_1 key and
    /// TAG_2 crypto object, MACUpdate <c>80 03 0D 0C</c> (TAG_1 data, TAG_2 crypto object), and MACFinal <c>80 03 0D 0D</c>
    /// (TAG_1 data, present even when empty, TAG_2 crypto object, [TAG_3 the MAC to validate]) with extended Lc and Le
    /// (DoAPDUTxRx_s_Case4_ext). A crypto object lives in the SE's RAM until deleted and its memory until the applet is
    /// deselected. Nothing is allocated after construction.
    /// </summary>
    public sealed class Se05xMacStreamCommands
    {
        private readonly Se05xApduWriter _apdu;

        /// <summary>Creates a builder with its own payload buffer, letting payloads up to 1024 bytes through.</summary>
        public Se05xMacStreamCommands()
            : this(new Se05xApduWriter())
        {
        }

        /// <summary>Creates a builder that refuses payloads above the applet's limit with <see cref="Se05xError.PayloadTooLong"/>.</summary>
        /// <param name="maxPayload">The applet's limit, <see cref="Se05xAppletVersion.MaxPayload"/>.</param>
        public Se05xMacStreamCommands(int maxPayload)
            : this(new Se05xApduWriter(maxPayload))
        {
        }

        internal Se05xMacStreamCommands(Se05xApduWriter apdu)
        {
            _apdu = apdu;
        }

        /// <summary>CreateCryptoObject for MACs with one algorithm.</summary>
        /// <param name="cryptoObjectId">The 2-byte crypto object id.</param>
        /// <param name="algorithm">HMAC-SHA256 or CMAC-128.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int CreateCryptoObject(ushort cryptoObjectId, Se05xMacAlgorithm algorithm, byte[] buffer, int offset)
        {
            _apdu.Begin();
            _apdu.U16(Se05xCodes.Tag1, cryptoObjectId);
            _apdu.U8(Se05xCodes.Tag2, Se05xCodes.CryptoContextMac);
            _apdu.U8(Se05xCodes.Tag3, (byte)algorithm);
            return _apdu.Finish(Se05xCodes.InsWrite, Se05xCodes.P1CryptoObject, Se05xCodes.P2Default, false, buffer, offset);
        }

        /// <summary>DeleteCryptoObject.</summary>
        /// <param name="cryptoObjectId">The crypto object id.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int DeleteCryptoObject(ushort cryptoObjectId, byte[] buffer, int offset)
        {
            _apdu.Begin();
            _apdu.U16(Se05xCodes.Tag1, cryptoObjectId);
            return _apdu.Finish(Se05xCodes.InsMgmt, Se05xCodes.P1CryptoObject, Se05xCodes.P2DeleteObject, false, buffer, offset);
        }

        /// <summary>MACInit: binds a key to the crypto object and starts a MAC run.</summary>
        /// <param name="keyId">The HMAC or AES key object.</param>
        /// <param name="cryptoObjectId">The crypto object.</param>
        /// <param name="validate">True to validate a MAC at MACFinal, false to generate one.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int MacInit(uint keyId, ushort cryptoObjectId, bool validate, byte[] buffer, int offset)
        {
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, keyId);
            _apdu.U16(Se05xCodes.Tag2, cryptoObjectId);
            byte p2 = validate ? Se05xCodes.P2Validate : Se05xCodes.P2Generate;
            return _apdu.Finish(Se05xCodes.InsCrypto, Se05xCodes.P1Mac, p2, false, buffer, offset);
        }

        /// <summary>MACUpdate: feeds data to the run.</summary>
        /// <param name="cryptoObjectId">The crypto object.</param>
        /// <param name="data">Buffer holding the data.</param>
        /// <param name="dataOffset">First byte.</param>
        /// <param name="dataCount">1 or more bytes, within the applet's payload limit.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> or <see cref="Se05xError.PayloadTooLong"/>.</exception>
        public int MacUpdate(ushort cryptoObjectId, byte[] data, int dataOffset, int dataCount, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(dataCount > 0, "MACUpdate needs at least one data byte.");
            _apdu.Begin();
            _apdu.Bytes(Se05xCodes.Tag1, data, dataOffset, dataCount);
            _apdu.U16(Se05xCodes.Tag2, cryptoObjectId);
            return _apdu.Finish(Se05xCodes.InsCrypto, Se05xCodes.P1Mac, Se05xCodes.P2Update, false, buffer, offset);
        }

        /// <summary>MACFinal: the last data and, for a validating run, the MAC; the answer is TLV[TAG_1] MAC or result.</summary>
        /// <param name="cryptoObjectId">The crypto object.</param>
        /// <param name="data">Buffer holding the last data, or null.</param>
        /// <param name="dataOffset">First byte.</param>
        /// <param name="dataCount">0 or more bytes.</param>
        /// <param name="mac">Buffer holding the MAC to validate, or null for a generating run.</param>
        /// <param name="macOffset">First MAC byte.</param>
        /// <param name="macCount">MAC length, 0 for a generating run.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> or <see cref="Se05xError.PayloadTooLong"/>.</exception>
        public int MacFinal(
            ushort cryptoObjectId, byte[] data, int dataOffset, int dataCount, byte[] mac, int macOffset, int macCount, byte[] buffer, int offset)
        {
            _apdu.Begin();
            _apdu.Bytes(Se05xCodes.Tag1, data ?? buffer, data == null ? 0 : dataOffset, dataCount);
            _apdu.U16(Se05xCodes.Tag2, cryptoObjectId);
            if (macCount > 0)
            {
                _apdu.Bytes(Se05xCodes.Tag3, mac, macOffset, macCount);
            }

            return _apdu.Finish(Se05xCodes.InsCrypto, Se05xCodes.P1Mac, Se05xCodes.P2Final, true, buffer, offset);
        }
    }
}
