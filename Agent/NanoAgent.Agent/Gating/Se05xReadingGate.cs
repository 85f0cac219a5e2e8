using System;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// <see cref="IReadingGate"/> over an NXP SE05x with its IoT applet only (no custom applet), through
    /// <see cref="Se05xGate"/>: AES-128 key objects and 8-byte counter objects provisioned as in docs/se05x-gating.md.
    /// Envelopes are the same as <see cref="GateAppletClient"/>'s (counter 8 ‖ CMAC 16 ‖ KCV 3), but the MAC input puts the
    /// counter first because the SE05x gate MACs <c>counter ‖ data</c>:
    /// <c>counter (8) ‖ label ‖ len(AID) ‖ AID ‖ data</c> (docs/gating.md §SE05x gate). The KCV is not computed by the SE
    /// (the key cannot be read out): the provisioning tool gives it. SELECTs the IoT applet before each operation, as
    /// the relay may select other applications in between. Buffers are allocated once. Not run on hardware.
    /// </summary>
    public sealed class Se05xReadingGate : IReadingGate
    {
        /// <summary>The suggested reading MAC key object (docs/se05x-gating.md).</summary>
        public const uint DefaultReadingKeyId = 0x00001001;

        /// <summary>The suggested command MAC key object.</summary>
        public const uint DefaultCommandKeyId = 0x00001002;

        /// <summary>The suggested reading counter object (size 8).</summary>
        public const uint DefaultReadingCounterId = 0x30000001;

        /// <summary>The suggested last-accepted command counter object (size 8).</summary>
        public const uint DefaultCommandCounterId = 0x30000002;

        private const int MacOutput = 8 + 16 + 3;
        private readonly IApduTransport _transport;
        private readonly Se05xGate _gate;
        private readonly Se05xObjectCommands _objects = new Se05xObjectCommands();
        private readonly byte[] _aid;
        private readonly byte[] _kcv = new byte[3];
        private readonly uint _readingKey;
        private readonly uint _commandKey;
        private readonly uint _readingCounter;
        private readonly uint _commandCounter;
        private readonly byte[] _input = new byte[8 + 4 + 16 + 224];
        private readonly byte[] _mac = new byte[32];
        private readonly byte[] _select = new byte[32];
        private readonly byte[] _selectResponse = new byte[258];

        /// <summary>Creates a gate over the suggested object ids.</summary>
        /// <param name="transport">The APDU transport to the SE05x; not owned.</param>
        /// <param name="gateAid">The tenant's gate AID (5 to 16 bytes), bound into every MAC; copied.</param>
        /// <param name="kcv">The reading key's 3-byte KCV (AES-ECB(key, 16 × '01')), from provisioning; copied.</param>
        /// <exception cref="ArgumentException">A null transport, an AID not 5 to 16 bytes, or a KCV not 3 bytes.</exception>
        public Se05xReadingGate(IApduTransport transport, byte[] gateAid, byte[] kcv)
            : this(transport, gateAid, kcv, DefaultReadingKeyId, DefaultCommandKeyId, DefaultReadingCounterId, DefaultCommandCounterId)
        {
        }

        /// <summary>Creates a gate over chosen object ids.</summary>
        /// <param name="transport">The APDU transport to the SE05x; not owned.</param>
        /// <param name="gateAid">The tenant's gate AID (5 to 16 bytes); copied.</param>
        /// <param name="kcv">The reading key's 3-byte KCV; copied.</param>
        /// <param name="readingKeyId">The AES key object allowed to sign readings.</param>
        /// <param name="commandKeyId">The AES key object allowed to verify commands.</param>
        /// <param name="readingCounterId">The reading counter object (size 8).</param>
        /// <param name="commandCounterId">The last-accepted command counter object (size 8).</param>
        /// <exception cref="ArgumentException">A null transport, an AID not 5 to 16 bytes, or a KCV not 3 bytes.</exception>
        public Se05xReadingGate(
            IApduTransport transport, byte[] gateAid, byte[] kcv, uint readingKeyId, uint commandKeyId, uint readingCounterId, uint commandCounterId)
        {
            if (transport == null || gateAid == null || gateAid.Length < 5 || gateAid.Length > 16 || kcv == null || kcv.Length != 3)
            {
                throw new ArgumentException("An SE05x gate needs a transport, a 5- to 16-byte AID and a 3-byte KCV.");
            }

            _transport = transport;
            _gate = new Se05xGate(transport);
            _aid = new byte[gateAid.Length];
            Array.Copy(gateAid, _aid, gateAid.Length);
            Array.Copy(kcv, _kcv, 3);
            _readingKey = readingKeyId;
            _commandKey = commandKeyId;
            _readingCounter = readingCounterId;
            _commandCounter = commandCounterId;
        }

        /// <inheritdoc />
        public bool UsesSignature
        {
            get { return false; }
        }

        /// <inheritdoc />
        public ushort SignReading(byte[] reading, int offset, int count, byte[] output, int outputOffset, out int written)
        {
            written = 0;
            if (count < 1 || count > 200)
            {
                return 0x6700;
            }

            ushort sw = Select();
            if (sw != 0x9000)
            {
                return sw;
            }

            int n = Bind(GateMacInput.ReadingLabel, reading, offset, count, _input, 0);
            ulong counter;
            int macLength;
            Se05xOutcome outcome;
            try
            {
                // docs/se05x-gating.md §SignReading: IncrementCounter, ReadCounter, MACOneShot generate over counter || input.
                outcome = _gate.SignReading(_readingKey, Se05xMacAlgorithm.Cmac128, _readingCounter, _input, 0, n, _mac, 0, out counter, out macLength);
            }
            catch (Se05xException)
            {
                return 0x6F00;
            }

            if (outcome != Se05xOutcome.Success)
            {
                return StatusOf(outcome);
            }

            if (macLength != 16)
            {
                return 0x6F00;
            }

            GateEnvelopeWriter.WriteCounter(counter, output, outputOffset);
            Array.Copy(_mac, 0, output, outputOffset + 8, 16);
            Array.Copy(_kcv, 0, output, outputOffset + 24, 3);
            written = MacOutput;
            return 0x9000;
        }

        /// <inheritdoc />
        /// <remarks>A replayed command and a bad MAC both answer '6982': the SE05x gate does not tell them apart.</remarks>
        public ushort VerifyCommand(byte[] data, int offset, int count)
        {
            if (count < 24 || count > 224)
            {
                return 0x6700;
            }

            ushort sw = Select();
            if (sw != 0x9000)
            {
                return sw;
            }

            // The SE05x gate reads the sequence from the first 8 bytes: counter || label || len(AID) || AID || payload.
            Array.Copy(data, offset, _input, 0, 8);
            int n = 8 + Bind(GateMacInput.CommandLabel, data, offset + 8, count - 24, _input, 8);
            try
            {
                return StatusOf(_gate.VerifyCommand(
                    _commandKey, Se05xMacAlgorithm.Cmac128, _commandCounter, _input, 0, n, data, offset + count - 16, 16));
            }
            catch (Se05xException)
            {
                return 0x6F00;
            }
        }

        private int Bind(byte[] label, byte[] data, int dataOffset, int dataCount, byte[] output, int at)
        {
            int start = at;
            Array.Copy(label, 0, output, at, 3);
            at += 3;
            output[at++] = (byte)_aid.Length;
            Array.Copy(_aid, 0, output, at, _aid.Length);
            at += _aid.Length;
            Array.Copy(data, dataOffset, output, at, dataCount);
            return at + dataCount - start;
        }

        private ushort Select()
        {
            int n = _objects.Select(_select, 0);
            int r = _transport.Transceive(_select, 0, n, _selectResponse, 0);
            return r < 2 ? (ushort)0x6F00 : (ushort)((_selectResponse[r - 2] << 8) | _selectResponse[r - 1]);
        }

        private static ushort StatusOf(Se05xOutcome outcome)
        {
            // Se05xOutcome names the status words it stands for (AN12413 §4.2); Rejected is a failed MAC check or an old sequence.
            switch (outcome)
            {
                case Se05xOutcome.Success:
                    return 0x9000;
                case Se05xOutcome.SecurityStatusNotSatisfied:
                case Se05xOutcome.Rejected:
                    return 0x6982;
                case Se05xOutcome.ConditionsNotSatisfied:
                    return 0x6985;
                case Se05xOutcome.CommandNotAllowed:
                    return 0x6986;
                case Se05xOutcome.WrongData:
                    return 0x6A80;
                case Se05xOutcome.FileFull:
                    return 0x6A84;
                default:
                    return 0x6F00;
            }
        }
    }
}
