namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Builds I2CM_ExecuteCommandSet, plain and attested (AN12413 §4.16; middleware Se05x_API_I2CM_Send and
    /// Se05x_API_I2CM_ExecuteCommandSet). The command set comes from <see cref="Se05xI2cmCommandSet"/>. Nothing is
    /// allocated after construction.
    /// </summary>
    public sealed class Se05xI2cmCommands
    {
        /// <summary>The freshness random length the attested form takes (SE05X_I2CM_MAX_FRESHNESS_SIZE).</summary>
        public const int FreshnessLength = 16;

        private readonly Se05xApduWriter _apdu;

        /// <summary>Creates a builder with its own payload buffer, letting payloads up to 1024 bytes through (applet 7.x).</summary>
        public Se05xI2cmCommands()
            : this(new Se05xApduWriter())
        {
        }

        /// <summary>Creates a builder that refuses payloads above the applet's limit with <see cref="Se05xError.PayloadTooLong"/>.</summary>
        /// <param name="maxPayload">The applet's limit: <see cref="Se05xAppletVersion.MaxPayload"/> (892 on 3.x, 1024 on 7.x).</param>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the limit is not 1 to 1024.</exception>
        public Se05xI2cmCommands(int maxPayload)
            : this(new Se05xApduWriter(maxPayload))
        {
        }

        internal Se05xI2cmCommands(Se05xApduWriter apdu)
        {
            _apdu = apdu;
        }

        /// <summary>
        /// I2CM_ExecuteCommandSet: <c>80 03 00 30</c>, extended Lc, TLV[TAG_1] command set, Le 0000 (Se05x_API_I2CM_Send).
        /// The answer is TLV[TAG_1] with one result per operation: read it with <see cref="Se05xI2cmResult.Walk"/>.
        /// </summary>
        /// <param name="set">Buffer holding the command set.</param>
        /// <param name="setOffset">First byte.</param>
        /// <param name="setCount">Length, 1 to 271.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad length or buffer.</exception>
        public int Execute(byte[] set, int setOffset, int setCount, byte[] buffer, int offset)
        {
            CheckSet(setCount);
            _apdu.Begin();
            _apdu.Bytes(Se05xCodes.Tag1, set, setOffset, setCount);
            return _apdu.Finish(Se05xCodes.InsCrypto, Se05xCodes.P1Default, Se05xCodes.P2I2cm, true, buffer, offset);
        }

        /// <summary>
        /// The attested I2CM_ExecuteCommandSet: INS = INS_CRYPTO | INS_ATTEST = 23, P2 = P2_I2CM = 30 (the middleware sends
        /// P2_I2CM here although se05x_enums.h also defines P2_I2CM_ATTESTED = 31; not confirmed against AN12413),
        /// TLV[TAG_1] command set, TLV[TAG_2] attestation key id, TLV[TAG_3] attestation algorithm, TLV[TAG_7] 16-byte
        /// freshness. Applet 7.x is sent with extended Lc and Le 0000, applet 3.x with a short Lc and no Le, as the
        /// middleware does for each. Parse the answer with <see cref="Se05xAttestedI2cmResponse.TryParse"/>.
        /// </summary>
        /// <param name="set">Buffer holding the command set.</param>
        /// <param name="setOffset">First byte.</param>
        /// <param name="setCount">Length, 1 to 271.</param>
        /// <param name="attestationKeyId">The EC key that signs; its policy must allow attestation.</param>
        /// <param name="algorithm">The attestation algorithm, for example <see cref="Se05xCodes.EcdsaSha256"/> (AttestationAlgo = ECSignatureAlgo).</param>
        /// <param name="freshness">Buffer holding 16 random bytes chosen by the verifier.</param>
        /// <param name="freshnessOffset">First random byte.</param>
        /// <param name="appletVersion7">True for applet 7.x (SE051, SE050E), false for 3.x (SE050).</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad length or buffer.</exception>
        public int ExecuteAttested(
            byte[] set, int setOffset, int setCount, uint attestationKeyId, byte algorithm,
            byte[] freshness, int freshnessOffset, bool appletVersion7, byte[] buffer, int offset)
        {
            CheckSet(setCount);
            _apdu.Begin();
            _apdu.Bytes(Se05xCodes.Tag1, set, setOffset, setCount);
            _apdu.U32(Se05xCodes.Tag2, attestationKeyId);
            _apdu.U8(Se05xCodes.Tag3, algorithm);
            _apdu.Bytes(Se05xCodes.Tag7, freshness, freshnessOffset, FreshnessLength);
            byte ins = (byte)(Se05xCodes.InsCrypto | Se05xCodes.InsAttestFlag);
            return _apdu.Finish(ins, Se05xCodes.P1Default, Se05xCodes.P2I2cm, appletVersion7, buffer, offset);
        }

        private static void CheckSet(int count)
        {
            Se05xObjectCommands.Check(count >= 1 && count <= Se05xI2cmCommandSet.MaxLength, "An I2CM command set has 1 to 271 bytes.");
        }
    }
}
