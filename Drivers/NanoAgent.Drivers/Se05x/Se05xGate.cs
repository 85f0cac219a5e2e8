using System;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Gates readings and commands behind keys and counters held in an NXP SE05x, using only the IoT applet's own
    /// commands (see docs/se05x.md). The applet must be selected already. Buffers are allocated once, here; a
    /// call sends the APDUs of <see cref="Se05xObjectCommands"/>, <see cref="Se05xCryptoCommands"/> and
    /// <see cref="Se05xI2cmCommands"/> and nothing else. Not thread-safe.
    /// </summary>
    public sealed class Se05xGate
    {
        /// <summary>The largest response the gate accepts, status word included.</summary>
        public const int MaxResponseLength = Se05xApduWriter.MaxPayload + 2;

        private readonly IApduTransport _transport;
        private readonly Se05xObjectCommands _objects;
        private readonly Se05xCryptoCommands _crypto;
        private readonly Se05xI2cmCommands _i2cm;
        private readonly byte[] _command = new byte[Se05xObjectCommands.MaxCommandLength];
        private readonly byte[] _response = new byte[MaxResponseLength];
        private readonly byte[] _data = new byte[Se05xApduWriter.MaxPayload];
        private readonly byte[] _set = new byte[Se05xI2cmCommandSet.MaxLength];

        /// <summary>Creates a gate.</summary>
        /// <param name="transport">Carries the APDUs to the SE; not owned.</param>
        /// <exception cref="ArgumentNullException">When <paramref name="transport"/> is null.</exception>
        public Se05xGate(IApduTransport transport)
            : this(transport, Se05xApduWriter.MaxPayload)
        {
        }

        /// <summary>Creates a gate for an applet with a known payload limit.</summary>
        /// <param name="transport">Carries the APDUs to the SE; not owned.</param>
        /// <param name="maxPayload">The applet's limit, <see cref="Se05xAppletVersion.MaxPayload"/>: longer commands throw
        /// <see cref="Se05xError.PayloadTooLong"/> before anything is sent.</param>
        /// <exception cref="ArgumentNullException">When <paramref name="transport"/> is null.</exception>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the limit is not 1 to 1024.</exception>
        public Se05xGate(IApduTransport transport, int maxPayload)
        {
            if (transport == null)
            {
                throw new ArgumentNullException(nameof(transport));
            }

            _transport = transport;
            var apdu = new Se05xApduWriter(maxPayload);
            _objects = new Se05xObjectCommands(apdu);
            _crypto = new Se05xCryptoCommands(apdu);
            _i2cm = new Se05xI2cmCommands(apdu);
        }

        /// <summary>
        /// Tags a reading: IncrementCounter, ReadCounter, then MACOneShot generate over <c>counter || reading</c>, the counter
        /// in its stored size, big-endian. The counter goes up before the MAC exists, so no two MACs share a value.
        /// </summary>
        /// <param name="macKeyId">The HMAC or AES key object allowed to sign.</param>
        /// <param name="algorithm">HMAC-SHA256 or CMAC-128.</param>
        /// <param name="counterId">The counter object.</param>
        /// <param name="reading">Buffer holding the reading.</param>
        /// <param name="readingOffset">First byte.</param>
        /// <param name="readingCount">Length, 1 or more; with the counter at most 1000 bytes.</param>
        /// <param name="mac">Buffer receiving the MAC.</param>
        /// <param name="macOffset">Where the MAC goes.</param>
        /// <param name="counter">The counter value the MAC covers; 0 when a step failed.</param>
        /// <param name="macLength">The MAC length; 0 when a step failed.</param>
        /// <returns>The outcome of the first step that did not succeed, or success.</returns>
        /// <exception cref="Se05xException">For bad arguments or a malformed answer.</exception>
        public Se05xOutcome SignReading(
            uint macKeyId, Se05xMacAlgorithm algorithm, uint counterId, byte[] reading, int readingOffset, int readingCount,
            byte[] mac, int macOffset, out ulong counter, out int macLength)
        {
            counter = 0;
            macLength = 0;
            Se05xObjectCommands.Check(readingCount >= 1 && readingCount <= 1000, "A reading has 1 to 1000 bytes.");
            Se05xObjectCommands.Check(reading != null && readingOffset >= 0 && readingOffset <= reading.Length - readingCount, "The reading lies outside its buffer.");
            int count = Send(_objects.IncrementCounter(counterId, _command, 0));
            Se05xOutcome outcome = Se05xResponse.ReadStatus(_response, 0, count);
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            ulong value;
            int size;
            outcome = ReadCounter(counterId, out value, out size);
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            PutCounter(value, size);
            Array.Copy(reading, readingOffset, _data, size, readingCount);
            count = Send(_crypto.MacGenerate(macKeyId, algorithm, _data, 0, size + readingCount, _command, 0));
            int at;
            int length;
            outcome = Se05xResponse.ReadTag1(_response, 0, count, out at, out length);
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            Se05xObjectCommands.Check(mac != null && macOffset >= 0 && macOffset <= mac.Length - length, "The MAC does not fit the buffer.");
            Array.Copy(_response, at, mac, macOffset, length);
            counter = value;
            macLength = length;
            return outcome;
        }

        /// <summary>
        /// Accepts a command <c>sequence || body</c> (the sequence in the counter's size, big-endian) only when the sequence is
        /// above the counter of the last accepted command and the SE validates the MAC over the whole command; then the SE
        /// counter is set to the sequence, which the SE refuses to lower. Order: ReadCounter, MACOneShot validate, WriteCounter.
        /// </summary>
        /// <param name="macKeyId">The HMAC or AES key object allowed to verify.</param>
        /// <param name="algorithm">HMAC-SHA256 or CMAC-128.</param>
        /// <param name="counterId">The counter holding the last accepted sequence.</param>
        /// <param name="command">Buffer holding the command.</param>
        /// <param name="commandOffset">First byte.</param>
        /// <param name="commandCount">Length.</param>
        /// <param name="mac">Buffer holding the MAC the backend made.</param>
        /// <param name="macOffset">First MAC byte.</param>
        /// <param name="macCount">MAC length.</param>
        /// <returns><see cref="Se05xOutcome.Success"/> when the command may run; <see cref="Se05xOutcome.Rejected"/> for a replayed,
        /// stale or short command or a wrong MAC; another outcome when an SE step failed.</returns>
        /// <exception cref="Se05xException">For bad arguments or a malformed answer.</exception>
        public Se05xOutcome VerifyCommand(
            uint macKeyId, Se05xMacAlgorithm algorithm, uint counterId, byte[] command, int commandOffset, int commandCount,
            byte[] mac, int macOffset, int macCount)
        {
            Se05xObjectCommands.Check(command != null && commandOffset >= 0 && commandCount >= 0 && commandOffset <= command.Length - commandCount, "The command lies outside its buffer.");
            ulong last;
            int size;
            Se05xOutcome outcome = ReadCounter(counterId, out last, out size);
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            if (commandCount <= size || macCount < 1)
            {
                return Se05xOutcome.Rejected;
            }

            ulong sequence = 0;
            for (int i = 0; i < size; i++)
            {
                sequence = (sequence << 8) | command[commandOffset + i];
            }

            if (sequence <= last)
            {
                return Se05xOutcome.Rejected;
            }

            int count = Send(_crypto.MacValidate(macKeyId, algorithm, command, commandOffset, commandCount, mac, macOffset, macCount, _command, 0));
            bool valid;
            outcome = Se05xResponse.ReadResult(_response, 0, count, out valid);
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            if (!valid)
            {
                return Se05xOutcome.Rejected;
            }

            count = Send(_objects.SetCounter(counterId, size, sequence, _command, 0));
            return Se05xResponse.ReadStatus(_response, 0, count);
        }

        /// <summary>
        /// Has the SE read a sensor on its own I2C controller and sign the result: one attested I2CM_ExecuteCommandSet
        /// with configure (address, rate), write (for example the register) and read. The raw answer is copied to the
        /// caller's buffer so the signature can be checked off the board.
        /// </summary>
        /// <param name="attestationKeyId">The EC key pair allowed to attest.</param>
        /// <param name="address">The sensor's 7-bit address.</param>
        /// <param name="baud"><see cref="Se05xI2cmCommandSet.Baud100Khz"/> or <see cref="Se05xI2cmCommandSet.Baud400Khz"/>.</param>
        /// <param name="write">Buffer holding the bytes to write first.</param>
        /// <param name="writeOffset">First byte.</param>
        /// <param name="writeCount">1 to 255 bytes.</param>
        /// <param name="readLength">Bytes to read, 1 to 255.</param>
        /// <param name="freshness">Buffer holding 16 random bytes from the verifier.</param>
        /// <param name="freshnessOffset">First random byte.</param>
        /// <param name="appletVersion7">True for applet 7.x, false for 3.x.</param>
        /// <param name="response">Buffer receiving the raw answer, status word included.</param>
        /// <param name="responseOffset">Where the answer goes.</param>
        /// <param name="responseCount">The answer length; 0 when it was not copied.</param>
        /// <param name="parsed">Where the parts of the answer lie in <paramref name="response"/>.</param>
        /// <returns>The outcome; <see cref="Se05xOutcome.Rejected"/> when the SE answered but an I2C operation failed.</returns>
        /// <exception cref="Se05xException">For bad arguments or a malformed answer.</exception>
        public Se05xOutcome ReadAttestedSensor(
            uint attestationKeyId, int address, byte baud, byte[] write, int writeOffset, int writeCount, int readLength,
            byte[] freshness, int freshnessOffset, bool appletVersion7, byte[] response, int responseOffset,
            out int responseCount, out Se05xAttestedI2cmResponse parsed)
        {
            responseCount = 0;
            int n = Se05xI2cmCommandSet.Configure(address, baud, _set, 0);
            Se05xObjectCommands.Check(writeCount <= Se05xI2cmCommandSet.MaxLength - 13, "The write does not fit the command set.");
            n += Se05xI2cmCommandSet.Write(write, writeOffset, writeCount, _set, n);
            n += Se05xI2cmCommandSet.Read(readLength, _set, n);
            int count = Send(_i2cm.ExecuteAttested(_set, 0, n, attestationKeyId, Se05xCodes.EcdsaSha256, freshness, freshnessOffset, appletVersion7, _command, 0));
            Se05xOutcome outcome = Se05xAttestedI2cmResponse.TryParse(_response, 0, count, appletVersion7, out parsed);
            if (outcome != Se05xOutcome.Success)
            {
                return outcome;
            }

            Se05xObjectCommands.Check(response != null && responseOffset >= 0 && responseOffset <= response.Length - count, "The answer does not fit the buffer.");
            Array.Copy(_response, 0, response, responseOffset, count);
            Se05xAttestedI2cmResponse.TryParse(response, responseOffset, count, appletVersion7, out parsed);
            responseCount = count;
            int readAt;
            int readCount;
            byte status = Se05xI2cmResult.Walk(response, parsed.ResultOffset, parsed.ResultLength, out readAt, out readCount);
            return status == Se05xI2cmResult.Success ? outcome : Se05xOutcome.Rejected;
        }

        private Se05xOutcome ReadCounter(uint counterId, out ulong value, out int size)
        {
            int count = Send(_objects.ReadCounter(counterId, _command, 0));
            return Se05xResponse.ReadCounter(_response, 0, count, out value, out size);
        }

        private void PutCounter(ulong value, int size)
        {
            for (int i = 0; i < size; i++)
            {
                _data[i] = (byte)(value >> (8 * (size - 1 - i)));
            }
        }

        private int Send(int commandLength)
        {
            int count = _transport.Transceive(_command, 0, commandLength, _response, 0);
            if (count < 2)
            {
                throw new Se05xException(Se05xError.ResponseTooShort, "The SE answered with fewer than two bytes.");
            }

            if (count > _response.Length)
            {
                throw new Se05xException(Se05xError.MalformedResponse, "The SE answered with more bytes than the gate's buffer holds.");
            }

            return count;
        }
    }
}
