namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Builds the SE05x IoT applet commands that MAC, sign and verify with keys held in the SE (AN12413 §4.10 MAC and
    /// §4.9 signatures; middleware Se05x_API_MACOneShot_G/_V, Se05x_API_ECDSASign/Verify). Like the middleware these go
    /// without Le (DoAPDUTxRx_s_Case4 passes hasle = 0); AN12413's tables list Le = 00 there. Nothing is allocated after
    /// construction.
    /// </summary>
    public sealed class Se05xCryptoCommands
    {
        /// <summary>The SHA-256 digest length ECDSASign and ECDSAVerify take with SIG_ECDSA_SHA256.</summary>
        public const int Sha256Length = 32;

        private readonly Se05xApduWriter _apdu;

        /// <summary>Creates a builder with its own payload buffer, letting payloads up to 1024 bytes through (applet 7.x).</summary>
        public Se05xCryptoCommands()
            : this(new Se05xApduWriter())
        {
        }

        /// <summary>Creates a builder that refuses payloads above the applet's limit with <see cref="Se05xError.PayloadTooLong"/>.</summary>
        /// <param name="maxPayload">The applet's limit: <see cref="Se05xAppletVersion.MaxPayload"/> (892 on 3.x, 1024 on 7.x).</param>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the limit is not 1 to 1024.</exception>
        public Se05xCryptoCommands(int maxPayload)
            : this(new Se05xApduWriter(maxPayload))
        {
        }

        internal Se05xCryptoCommands(Se05xApduWriter apdu)
        {
            _apdu = apdu;
        }

        /// <summary>
        /// MACOneShot generate: <c>80 03 0D 45</c> TLV[TAG_1] key id, TLV[TAG_2] algorithm, TLV[TAG_3] data.
        /// The answer is TLV[TAG_1] with the MAC (32 bytes for HMAC-SHA256, 16 for CMAC-128).
        /// </summary>
        /// <param name="keyId">The HMAC or AES key object.</param>
        /// <param name="algorithm">HMAC-SHA256 (HMAC key) or CMAC-128 (AES key).</param>
        /// <param name="data">Buffer holding the data.</param>
        /// <param name="dataOffset">First data byte.</param>
        /// <param name="dataCount">Data length, 1 or more (the payload must stay within 1024 bytes).</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for empty or too long data or a small buffer.</exception>
        public int MacGenerate(uint keyId, Se05xMacAlgorithm algorithm, byte[] data, int dataOffset, int dataCount, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(dataCount > 0, "MACOneShot needs at least one data byte.");
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, keyId);
            _apdu.U8(Se05xCodes.Tag2, (byte)algorithm);
            _apdu.Bytes(Se05xCodes.Tag3, data, dataOffset, dataCount);
            return _apdu.Finish(Se05xCodes.InsCrypto, Se05xCodes.P1Mac, Se05xCodes.P2GenerateOneShot, false, buffer, offset);
        }

        /// <summary>
        /// MACOneShot validate: <c>80 03 0D 46</c> TLV[TAG_1] key id, TLV[TAG_2] algorithm, TLV[TAG_3] data, TLV[TAG_5] MAC.
        /// The answer is TLV[TAG_1] with a result byte, 01 success or 02 failure: read it with <see cref="Se05xResponse.ReadResult"/>.
        /// </summary>
        /// <param name="keyId">The HMAC or AES key object.</param>
        /// <param name="algorithm">HMAC-SHA256 or CMAC-128.</param>
        /// <param name="data">Buffer holding the data.</param>
        /// <param name="dataOffset">First data byte.</param>
        /// <param name="dataCount">Data length, 1 or more.</param>
        /// <param name="mac">Buffer holding the MAC to check.</param>
        /// <param name="macOffset">First MAC byte.</param>
        /// <param name="macCount">MAC length, 1 or more.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for empty data or MAC, or a small buffer.</exception>
        public int MacValidate(
            uint keyId, Se05xMacAlgorithm algorithm, byte[] data, int dataOffset, int dataCount,
            byte[] mac, int macOffset, int macCount, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(dataCount > 0 && macCount > 0, "MACOneShot validate needs data and a MAC.");
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, keyId);
            _apdu.U8(Se05xCodes.Tag2, (byte)algorithm);
            _apdu.Bytes(Se05xCodes.Tag3, data, dataOffset, dataCount);
            _apdu.Bytes(Se05xCodes.Tag5, mac, macOffset, macCount);
            return _apdu.Finish(Se05xCodes.InsCrypto, Se05xCodes.P1Mac, Se05xCodes.P2ValidateOneShot, false, buffer, offset);
        }

        /// <summary>
        /// ECDSASign with SIG_ECDSA_SHA256: <c>80 03 0C 09</c> TLV[TAG_1] key id, TLV[TAG_2] 21, TLV[TAG_3] digest. The host
        /// hashes (AN12413 ECDSASign: "the hashing of data always must be done on the host"); the answer is TLV[TAG_1] with
        /// the DER signature SEQUENCE { r, s } (ANSI X9.62).
        /// </summary>
        /// <param name="keyId">The EC key pair or private key object.</param>
        /// <param name="digest">Buffer holding the SHA-256 digest.</param>
        /// <param name="digestOffset">First digest byte.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public int EcdsaSign(uint keyId, byte[] digest, int digestOffset, byte[] buffer, int offset)
        {
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, keyId);
            _apdu.U8(Se05xCodes.Tag2, Se05xCodes.EcdsaSha256);
            _apdu.Bytes(Se05xCodes.Tag3, digest, digestOffset, Sha256Length);
            return _apdu.Finish(Se05xCodes.InsCrypto, Se05xCodes.P1Signature, Se05xCodes.P2Sign, false, buffer, offset);
        }

        /// <summary>
        /// ECDSAVerify with SIG_ECDSA_SHA256: <c>80 03 0C 0A</c> TLV[TAG_1] key id, TLV[TAG_2] 21, TLV[TAG_3] digest,
        /// TLV[TAG_5] DER signature. The order is the middleware's (Se05x_API_ECDSAVerify); the table in its header (and
        /// AN12413 as quoted there) swaps the TAG_3 and TAG_5 descriptions, while its parameter list agrees with the code.
        /// The answer is TLV[TAG_1] with a result byte.
        /// </summary>
        /// <param name="keyId">The EC public key or key pair object.</param>
        /// <param name="digest">Buffer holding the SHA-256 digest.</param>
        /// <param name="digestOffset">First digest byte.</param>
        /// <param name="signature">Buffer holding the DER signature.</param>
        /// <param name="signatureOffset">First signature byte.</param>
        /// <param name="signatureCount">Signature length, 8 to 72.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad signature length or a small buffer.</exception>
        public int EcdsaVerify(uint keyId, byte[] digest, int digestOffset, byte[] signature, int signatureOffset, int signatureCount, byte[] buffer, int offset)
        {
            // A DER P-256 signature is 30 len 02 len r 02 len s: 8 bytes at the very least, 72 at most.
            Se05xObjectCommands.Check(signatureCount >= 8 && signatureCount <= 72, "A DER P-256 signature has 8 to 72 bytes.");
            _apdu.Begin();
            _apdu.U32(Se05xCodes.Tag1, keyId);
            _apdu.U8(Se05xCodes.Tag2, Se05xCodes.EcdsaSha256);
            _apdu.Bytes(Se05xCodes.Tag3, digest, digestOffset, Sha256Length);
            _apdu.Bytes(Se05xCodes.Tag5, signature, signatureOffset, signatureCount);
            return _apdu.Finish(Se05xCodes.InsCrypto, Se05xCodes.P1Signature, Se05xCodes.P2Verify, false, buffer, offset);
        }
    }
}
