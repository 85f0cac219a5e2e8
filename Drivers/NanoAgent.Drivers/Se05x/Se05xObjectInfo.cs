using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Reads the answers of ReadIDList, ReadType, ReadSize and CreateSession (AN12413 R-APDU bodies as quoted in NXP's
    /// se05x_APDU_apis.h). An error status word is an expected outcome and comes back as a value; a 9000 answer without the
    /// expected TLVs, or with bytes after them (NXP's host rejects those), throws <see cref="Se05xException"/>.
    /// </summary>
    public static class Se05xObjectInfo
    {
        /// <summary>The length of a session id.</summary>
        public const int SessionIdLength = 8;

        /// <summary>Reads a ReadIDList answer: TLV[TAG_1] more indicator, TLV[TAG_2] the 4-byte ids.</summary>
        /// <param name="response">Buffer holding the response.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length, status word included.</param>
        /// <param name="more">True when the SE has more ids (ask again with the count read so far as offset).</param>
        /// <param name="idsOffset">Where the ids start.</param>
        /// <param name="idCount">How many ids the answer holds.</param>
        /// <returns>The outcome.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.ResponseTooShort"/> or <see cref="Se05xError.MalformedResponse"/>.</exception>
        public static Se05xOutcome ReadIdList(byte[] response, int offset, int count, out bool more, out int idsOffset, out int idCount)
        {
            more = false;
            idsOffset = 0;
            idCount = 0;
            Se05xOutcome outcome = Se05xResponse.Classify(Se05xResponse.Sw(response, offset, count));
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            try
            {
                var reader = new BerTlvReader(response, offset, count - 2);
                if (!reader.Read() || reader.Tag != Se05xCodes.Tag1 || reader.ValueLength != 1)
                {
                    throw new Se05xException(Se05xError.MalformedResponse, "ReadIDList answers TLV[TAG_1] with one more-indicator byte first.");
                }

                byte indicator = response[reader.ValueOffset];
                if (indicator != Se05xCodes.MoreIndicatorNoMore && indicator != Se05xCodes.MoreIndicatorMore)
                {
                    throw new Se05xException(Se05xError.MalformedResponse, "The more indicator is 01 (no more) or 02 (more).");
                }

                if (!reader.Read() || reader.Tag != Se05xCodes.Tag2 || reader.ValueLength % 4 != 0 || reader.HasMore)
                {
                    throw new Se05xException(Se05xError.MalformedResponse, "ReadIDList answers TLV[TAG_2] with 4-byte ids last.");
                }

                more = indicator == Se05xCodes.MoreIndicatorMore;
                idsOffset = reader.ValueOffset;
                idCount = reader.ValueLength / 4;
                return outcome;
            }
            catch (TlvException e)
            {
                throw new Se05xException(Se05xError.MalformedResponse, e.Message);
            }
        }

        /// <summary>Reads one id of a ReadIDList answer.</summary>
        /// <param name="response">Buffer holding the response.</param>
        /// <param name="idsOffset">Where the ids start.</param>
        /// <param name="index">Which id, from 0.</param>
        /// <returns>The id.</returns>
        public static uint IdAt(byte[] response, int idsOffset, int index)
        {
            int p = idsOffset + (4 * index);
            return ((uint)response[p] << 24) | ((uint)response[p + 1] << 16) | ((uint)response[p + 2] << 8) | response[p + 3];
        }

        /// <summary>Reads a ReadType answer: TLV[TAG_1] object type, TLV[TAG_2] transient indicator (01 persistent, 02 transient).</summary>
        /// <param name="response">Buffer holding the response.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length, status word included.</param>
        /// <param name="type">The object type (SE05x_SecObjTyp_t: 01 EC pair … 0B binary, 0C UserID, 0D counter, 11 HMAC).</param>
        /// <param name="transient">True for a transient object.</param>
        /// <returns>The outcome.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.ResponseTooShort"/> or <see cref="Se05xError.MalformedResponse"/>.</exception>
        public static Se05xOutcome ReadType(byte[] response, int offset, int count, out byte type, out bool transient)
        {
            type = 0;
            transient = false;
            Se05xOutcome outcome = Se05xResponse.Classify(Se05xResponse.Sw(response, offset, count));
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            if (count != 8 || response[offset] != Se05xCodes.Tag1 || response[offset + 1] != 1
                || response[offset + 3] != Se05xCodes.Tag2 || response[offset + 4] != 1 || response[offset + 5] < 1 || response[offset + 5] > 2)
            {
                throw new Se05xException(Se05xError.MalformedResponse, "ReadType answers 41 01 type 42 01 indicator.");
            }

            type = response[offset + 2];
            transient = response[offset + 5] == 2;
            return outcome;
        }

        /// <summary>Reads a ReadSize answer: TLV[TAG_1] with a 2-byte size.</summary>
        /// <param name="response">Buffer holding the response.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length, status word included.</param>
        /// <param name="size">The size in bytes.</param>
        /// <returns>The outcome.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.ResponseTooShort"/> or <see cref="Se05xError.MalformedResponse"/>.</exception>
        public static Se05xOutcome ReadSize(byte[] response, int offset, int count, out int size)
        {
            size = 0;
            int at;
            int length;
            Se05xOutcome outcome = Se05xResponse.ReadTag1(response, offset, count, out at, out length);
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            if (length != 2)
            {
                throw new Se05xException(Se05xError.MalformedResponse, "ReadSize answers a 2-byte size.");
            }

            size = (response[at] << 8) | response[at + 1];
            return outcome;
        }

        /// <summary>Reads a CreateSession answer: TLV[TAG_1] with the 8-byte session id (the chip sends it as <c>41 82 00 08</c>).</summary>
        /// <param name="response">Buffer holding the response.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length, status word included.</param>
        /// <param name="sessionIdOffset">Where the session id starts.</param>
        /// <returns>The outcome.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.ResponseTooShort"/> or <see cref="Se05xError.MalformedResponse"/>.</exception>
        public static Se05xOutcome ReadSessionId(byte[] response, int offset, int count, out int sessionIdOffset)
        {
            int length;
            Se05xOutcome outcome = Se05xResponse.ReadTag1(response, offset, count, out sessionIdOffset, out length);
            if (outcome == Se05xOutcome.Success && length != SessionIdLength)
            {
                throw new Se05xException(Se05xError.MalformedResponse, "A session id has 8 bytes.");
            }

            return outcome;
        }
    }
}
