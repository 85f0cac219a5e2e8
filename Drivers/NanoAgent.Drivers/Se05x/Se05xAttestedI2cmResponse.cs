using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Where the parts of an attested I2CM answer lie in the caller's buffer. Layouts as the middleware reads them
    /// (Se05x_API_I2CM_ExecuteCommandSet): applet 7.x answers TLV[TAG_1] results, TLV[TAG_2] chip id (18 bytes),
    /// TLV[TAG_4] object size, TLV[TAG_TIMESTAMP 4F] (12 bytes), TLV[TAG_SIGNATURE 52]; applet 3.x answers TLV[TAG_1]
    /// results, TLV[TAG_3] timestamp, TLV[TAG_4] freshness, TLV[TAG_5] chip id, TLV[TAG_6] signature. Which bytes the
    /// signature covers is not confirmed here: the middleware verifies read attestations of applet 7.x over the command
    /// APDU followed by the response TLVs; <see cref="SignedLength"/> marks the response bytes before the signature TLV.
    /// </summary>
    public struct Se05xAttestedI2cmResponse
    {
        /// <summary>Gets the offset of the I2CM results (TAG_1 value), for <see cref="Se05xI2cmResult.Walk"/>.</summary>
        public int ResultOffset { get; private set; }

        /// <summary>Gets the length of the I2CM results.</summary>
        public int ResultLength { get; private set; }

        /// <summary>Gets the offset of the chip's unique id.</summary>
        public int ChipIdOffset { get; private set; }

        /// <summary>Gets the length of the chip id.</summary>
        public int ChipIdLength { get; private set; }

        /// <summary>Gets the offset of the SE timestamp.</summary>
        public int TimestampOffset { get; private set; }

        /// <summary>Gets the length of the timestamp.</summary>
        public int TimestampLength { get; private set; }

        /// <summary>Gets the offset of the freshness echoed by applet 3.x, 0 for applet 7.x.</summary>
        public int FreshnessOffset { get; private set; }

        /// <summary>Gets the length of the echoed freshness, 0 for applet 7.x.</summary>
        public int FreshnessLength { get; private set; }

        /// <summary>Gets the offset of the signature.</summary>
        public int SignatureOffset { get; private set; }

        /// <summary>Gets the length of the signature (DER for ECDSA).</summary>
        public int SignatureLength { get; private set; }

        /// <summary>Gets the number of response bytes, from the first, that precede the signature TLV.</summary>
        public int SignedLength { get; private set; }

        /// <summary>Parses an attested I2CM answer.</summary>
        /// <param name="response">Buffer holding the response, status word last.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length, status word included.</param>
        /// <param name="appletVersion7">True for the applet 7.x layout, false for 3.x.</param>
        /// <param name="parsed">The layout on success.</param>
        /// <returns>The outcome of the status word.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.ResponseTooShort"/>, or <see cref="Se05xError.MalformedResponse"/>
        /// when a 9000 answer lacks a part or is not TLV.</exception>
        public static Se05xOutcome TryParse(byte[] response, int offset, int count, bool appletVersion7, out Se05xAttestedI2cmResponse parsed)
        {
            parsed = new Se05xAttestedI2cmResponse();
            Se05xOutcome outcome = Se05xResponse.Classify(Se05xResponse.Sw(response, offset, count));
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            int timestampTag = appletVersion7 ? Se05xCodes.TagTimestamp : Se05xCodes.Tag3;
            int chipTag = appletVersion7 ? Se05xCodes.Tag2 : Se05xCodes.Tag5;
            int signatureTag = appletVersion7 ? Se05xCodes.TagSignature : Se05xCodes.Tag6;
            bool result = false;
            bool chip = false;
            bool time = false;
            bool fresh = appletVersion7;
            try
            {
                var reader = new BerTlvReader(response, offset, count - 2);
                while (reader.Read())
                {
                    int tag = reader.Tag;
                    if (tag == Se05xCodes.Tag1 && !result)
                    {
                        result = true;
                        parsed.ResultOffset = reader.ValueOffset;
                        parsed.ResultLength = reader.ValueLength;
                    }
                    else if (tag == chipTag && !chip)
                    {
                        chip = true;
                        parsed.ChipIdOffset = reader.ValueOffset;
                        parsed.ChipIdLength = reader.ValueLength;
                    }
                    else if (tag == timestampTag && !time)
                    {
                        time = true;
                        parsed.TimestampOffset = reader.ValueOffset;
                        parsed.TimestampLength = reader.ValueLength;
                    }
                    else if (!appletVersion7 && tag == Se05xCodes.Tag4 && !fresh)
                    {
                        fresh = true;
                        parsed.FreshnessOffset = reader.ValueOffset;
                        parsed.FreshnessLength = reader.ValueLength;
                    }
                    else if (tag == signatureTag)
                    {
                        if (reader.HasMore || reader.ValueLength == 0)
                        {
                            throw new Se05xException(Se05xError.MalformedResponse, "The signature must be the last, non-empty TLV.");
                        }

                        parsed.SignatureOffset = reader.ValueOffset;
                        parsed.SignatureLength = reader.ValueLength;
                        parsed.SignedLength = reader.Offset - offset;
                    }
                }
            }
            catch (TlvException e)
            {
                throw new Se05xException(Se05xError.MalformedResponse, e.Message);
            }

            if (!result || !chip || !time || !fresh || parsed.SignatureLength == 0)
            {
                throw new Se05xException(Se05xError.MalformedResponse, "The attested I2CM answer lacks a part.");
            }

            return outcome;
        }
    }
}
