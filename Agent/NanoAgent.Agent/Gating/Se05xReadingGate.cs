using System;
using NanoAgent.Agent.Se05x;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// <see cref="IReadingGate"/> over an NXP SE05x with its IoT applet only (no custom applet; docs/se05x.md "Gated
    /// readings"), in the applet's default session, with the objects of the tenant's block (<see cref="Se05xTenantLayout"/>):
    /// readings are MAC'd by MACOneShot generate with the reading key, commands are verified by <see cref="Se05xCommandGate"/>.
    /// The reading counter is <c>epoch (4) ‖ sequence (4)</c>: the epoch is a counter object the SE raises once when this gate
    /// starts counting (at every agent start, and when the sequence runs out), before any MAC over it exists; the sequence
    /// counts readings in RAM. So counters never repeat, even across power cuts, and the SE's NVM sees one write per start
    /// instead of one per reading (docs/longevity.md). The SE05x MACs whatever bytes it is given, so the counter in the MAC input
    /// always came through the MCU (with an SE-incremented counter object too); the epoch keeps an honest MCU from repeating a
    /// counter after it lost its RAM. The MAC input is <c>counter (8) ‖ "RDG" ‖ len(AID) ‖ AID ‖ data</c>; the KCV is the first
    /// 3 bytes of CMAC(reading key, 16 × '01'), made by the SE once. Buffers are allocated once.
    /// </summary>
    public sealed class Se05xReadingGate : IReadingGate
    {
        private const int MacOutput = 8 + 16 + 3;
        private readonly Se05xApplet _applet;
        private readonly Se05xCommandGate _commands;
        private readonly Se05xObjectCommands _objects = new Se05xObjectCommands();
        private readonly Se05xCryptoCommands _crypto = new Se05xCryptoCommands();
        private readonly byte[] _aid;
        private readonly uint _key;
        private readonly uint _epoch;
        private readonly byte[] _kcv = new byte[3];
        private readonly byte[] _input = new byte[8 + 4 + 16 + 224];
        private readonly byte[] _command = new byte[Se05xObjectCommands.MaxCommandLength];
        private readonly byte[] _response = new byte[64];
        private bool _kcvKnown;
        private bool _counting;
        private ulong _epochValue;
        private ulong _sequence;

        /// <summary>Creates the gate of one tenant.</summary>
        /// <param name="applet">The agent's link to the IoT applet.</param>
        /// <param name="gateAid">The tenant's gate label (5 to 16 bytes), bound into every MAC as the gate applet binds its AID; copied.</param>
        /// <param name="tenantAuthObject">The tenant's authentication object, the start of its object block.</param>
        /// <exception cref="ArgumentException">A null applet, a label not 5 to 16 bytes or an invalid block.</exception>
        public Se05xReadingGate(Se05xApplet applet, byte[] gateAid, uint tenantAuthObject)
        {
            if (applet == null || gateAid == null || gateAid.Length < 5 || gateAid.Length > 16 || !Se05xTenantLayout.IsValidAuthObject(tenantAuthObject))
            {
                throw new ArgumentException("An SE05x gate needs the applet link, a 5- to 16-byte label and a tenant's object block.");
            }

            _applet = applet;
            _aid = (byte[])gateAid.Clone();
            _key = Se05xTenantLayout.Object(tenantAuthObject, Se05xTenantLayout.ReadingKey);
            _epoch = Se05xTenantLayout.Object(tenantAuthObject, Se05xTenantLayout.ReadingEpoch);
            _commands = new Se05xCommandGate(applet, gateAid, tenantAuthObject);
        }

        /// <inheritdoc />
        public bool UsesSignature
        {
            get { return false; }
        }

        /// <summary>Gets how many times this gate raised the epoch counter (each is one NVM write in the SE).</summary>
        public int EpochRaises { get; private set; }

        /// <inheritdoc />
        /// <remarks>Answers the SE's status word of the first step that failed: '6985' when the epoch counter is at its end,
        /// '6986' when a policy refuses the default session, '6A80' when an object is missing or of another kind.</remarks>
        public ushort SignReading(byte[] reading, int offset, int count, byte[] output, int outputOffset, out int written)
        {
            written = 0;
            if (count < 1 || count > 200)
            {
                return 0x6700;
            }

            try
            {
                ulong counter;
                ushort sw = NextCounter(out counter);
                if (sw == StatusWord.Success && !_kcvKnown)
                {
                    sw = LoadKcv();
                }

                if (sw != StatusWord.Success)
                {
                    return sw;
                }

                GateEnvelopeWriter.WriteCounter(counter, _input, 0);
                int n = 8 + Bind(GateMacInput.ReadingLabel, reading, offset, count, _input, 8);
                int at;
                int length;
                sw = Mac(n, out at, out length);
                if (sw != StatusWord.Success)
                {
                    return sw;
                }

                if (length != 16)
                {
                    return 0x6F00;
                }

                GateEnvelopeWriter.WriteCounter(counter, output, outputOffset);
                Array.Copy(_response, at, output, outputOffset + 8, 16);
                Array.Copy(_kcv, 0, output, outputOffset + 24, 3);
                written = MacOutput;
                return StatusWord.Success;
            }
            catch (Se05xException)
            {
                // A '9000' whose data is not what AN12413 says: nothing trustworthy came back.
                return 0x6F00;
            }
        }

        /// <inheritdoc />
        public ushort VerifyCommand(byte[] data, int offset, int count)
        {
            return _commands.VerifyCommand(data, offset, count);
        }

        // docs/se05x.md "Reading counters": the first reading (and the one after the sequence's end) raises the epoch in the SE
        // (IncrementCounter, then ReadCounter) before any MAC over it; then the sequence counts in RAM. A reading whose MAC is
        // lost still used its value, so a value is never handed out twice.
        private ushort NextCounter(out ulong counter)
        {
            counter = 0;
            if (!_counting || _sequence == 0xFFFFFFFFUL)
            {
                ushort sw = Status(_objects.IncrementCounter(_epoch, _command, 0));
                if (sw != StatusWord.Success)
                {
                    return sw;
                }

                EpochRaises++;
                ulong epoch;
                sw = ReadCounter(_epoch, out epoch);
                if (sw != StatusWord.Success)
                {
                    // Raised but not read: the next reading raises it again (a gap, never a repeat).
                    return sw;
                }

                if (epoch > 0xFFFFFFFFUL)
                {
                    // A counter object wider than 4 bytes, past 2^32: epoch (4) || sequence (4) cannot hold it.
                    return 0x6A80;
                }

                _epochValue = epoch;
                _sequence = 0;
                _counting = true;
            }

            _sequence++;
            counter = (_epochValue << 32) | _sequence;
            return StatusWord.Success;
        }

        // KCV: CMAC(reading key, 16 x '01'), first 3 bytes. A 16-byte input never equals a reading's MAC input (>= 21 bytes).
        private ushort LoadKcv()
        {
            for (int i = 0; i < 16; i++)
            {
                _input[i] = 0x01;
            }

            int at;
            int length;
            ushort sw = Mac(16, out at, out length);
            if (sw == StatusWord.Success && length >= 3)
            {
                Array.Copy(_response, at, _kcv, 0, 3);
                _kcvKnown = true;
            }

            return sw;
        }

        private ushort Mac(int inputLength, out int at, out int length)
        {
            int n = _crypto.MacGenerate(_key, Se05xMacAlgorithm.Cmac128, _input, 0, inputLength, _command, 0);
            int r = _applet.Transceive(_command, 0, n, _response, 0);
            at = 0;
            length = 0;
            Se05xOutcome outcome = Se05xResponse.ReadTag1(_response, 0, r, out at, out length);
            return outcome == Se05xOutcome.Success ? StatusWord.Success : StatusWord.Read(_response, 0, r);
        }

        private ushort ReadCounter(uint id, out ulong value)
        {
            int r = _applet.Transceive(_command, 0, _objects.ReadCounter(id, _command, 0), _response, 0);
            int size;
            Se05xOutcome outcome = Se05xResponse.ReadCounter(_response, 0, r, out value, out size);
            return outcome == Se05xOutcome.Success ? StatusWord.Success : StatusWord.Read(_response, 0, r);
        }

        private ushort Status(int commandLength)
        {
            int r = _applet.Transceive(_command, 0, commandLength, _response, 0);
            return r < 2 ? (ushort)0x6F00 : StatusWord.Read(_response, 0, r);
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
    }
}
