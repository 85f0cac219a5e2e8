using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Reads SE05x IoT applet responses held in a caller's buffer (data then SW1 SW2). A status word other than 9000 is
    /// an expected outcome and comes back as a value; a 9000 response whose data does not match AN12413's layout throws.
    /// </summary>
    public static class Se05xResponse
    {
        /// <summary>Maps a status word to an outcome (AN12413 §4.2; middleware smStatus_t SM_ERR_*).</summary>
        /// <param name="sw">The status word.</param>
        /// <returns>The outcome.</returns>
        public static Se05xOutcome Classify(ushort sw)
        {
            switch (sw)
            {
                case StatusWord.Success: return Se05xOutcome.Success;
                case StatusWord.SecurityStatusNotSatisfied: return Se05xOutcome.SecurityStatusNotSatisfied;
                case StatusWord.ConditionsNotSatisfied: return Se05xOutcome.ConditionsNotSatisfied;
                case 0x6986: return Se05xOutcome.CommandNotAllowed;
                case 0x6A80: return Se05xOutcome.WrongData;
                case 0x6A84: return Se05xOutcome.FileFull;
                default: return Se05xOutcome.OtherError;
            }
        }

        /// <summary>Reads the outcome of a command that answers with a status word only (writes, deletes, counters).</summary>
        /// <param name="response">Buffer holding the response.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length, status word included.</param>
        /// <returns>The outcome.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.ResponseTooShort"/> under two bytes.</exception>
        public static Se05xOutcome ReadStatus(byte[] response, int offset, int count)
        {
            return Classify(Sw(response, offset, count));
        }

        /// <summary>Reads a response whose data is exactly one TLV[TAG_1] (AN12413 R-APDU bodies of ReadObject, GetRandom,
        /// MACOneShot, ECDSASign, GetVersion).</summary>
        /// <param name="response">Buffer holding the response.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length, status word included.</param>
        /// <param name="valueOffset">Offset of the TAG_1 value on success, else 0.</param>
        /// <param name="valueLength">Length of the TAG_1 value on success, else 0.</param>
        /// <returns>The outcome.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.ResponseTooShort"/> or <see cref="Se05xError.MalformedResponse"/>.</exception>
        public static Se05xOutcome ReadTag1(byte[] response, int offset, int count, out int valueOffset, out int valueLength)
        {
            valueOffset = 0;
            valueLength = 0;
            Se05xOutcome outcome = Classify(Sw(response, offset, count));
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            try
            {
                var reader = new BerTlvReader(response, offset, count - 2);
                if (!reader.Read() || reader.Tag != Se05xCodes.Tag1 || reader.HasMore)
                {
                    throw new Se05xException(Se05xError.MalformedResponse, "The response data is not exactly one TLV[TAG_1].");
                }

                valueOffset = reader.ValueOffset;
                valueLength = reader.ValueLength;
                return outcome;
            }
            catch (TlvException e)
            {
                throw new Se05xException(Se05xError.MalformedResponse, e.Message);
            }
        }

        /// <summary>Reads a TLV[TAG_1] result byte (CheckObjectExists, MACOneShot validate, ECDSAVerify): 01 SUCCESS, 02 FAILURE.</summary>
        /// <param name="response">Buffer holding the response.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length, status word included.</param>
        /// <param name="result">True for SUCCESS, false for FAILURE or an error status word.</param>
        /// <returns>The outcome of the command (a FAILURE result is still <see cref="Se05xOutcome.Success"/> here).</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.ResponseTooShort"/> or <see cref="Se05xError.MalformedResponse"/>.</exception>
        public static Se05xOutcome ReadResult(byte[] response, int offset, int count, out bool result)
        {
            result = false;
            int at;
            int length;
            Se05xOutcome outcome = ReadTag1(response, offset, count, out at, out length);
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            if (length != 1 || (response[at] != Se05xCodes.ResultSuccess && response[at] != Se05xCodes.ResultFailure))
            {
                throw new Se05xException(Se05xError.MalformedResponse, "A result is one byte, 01 or 02.");
            }

            result = response[at] == Se05xCodes.ResultSuccess;
            return outcome;
        }

        /// <summary>Reads a counter value from a ReadObject response: TLV[TAG_1] with 1 to 8 bytes, big-endian.</summary>
        /// <param name="response">Buffer holding the response.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length, status word included.</param>
        /// <param name="value">The counter value on success, else 0.</param>
        /// <param name="size">The counter size in bytes on success, else 0.</param>
        /// <returns>The outcome.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.ResponseTooShort"/> or <see cref="Se05xError.MalformedResponse"/>.</exception>
        public static Se05xOutcome ReadCounter(byte[] response, int offset, int count, out ulong value, out int size)
        {
            value = 0;
            size = 0;
            int at;
            int length;
            Se05xOutcome outcome = ReadTag1(response, offset, count, out at, out length);
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            if (length < 1 || length > 8)
            {
                throw new Se05xException(Se05xError.MalformedResponse, "A counter value has 1 to 8 bytes.");
            }

            for (int i = 0; i < length; i++)
            {
                value = (value << 8) | response[at + i];
            }

            size = length;
            return outcome;
        }

        internal static ushort Sw(byte[] response, int offset, int count)
        {
            if (response == null || offset < 0 || count < 2 || offset > response.Length - count)
            {
                throw new Se05xException(Se05xError.ResponseTooShort, "A response needs at least a status word inside the buffer.");
            }

            return StatusWord.Read(response, offset, count);
        }
    }
}
