using System;
using NanoAgent.Agent.Se05x;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// Verifies a tenant's actuator commands on an NXP SE05x with its IoT applet only (docs/se05x.md "Verified actuator
    /// commands"), in the applet's default session: the command key of the tenant's block allows VERIFY only (the backend holds
    /// its copy and MACs), the command counter object (8 bytes) holds the last accepted sequence. Order: ReadCounter,
    /// MACOneShot validate over <c>sequence (8) ‖ "CMD" ‖ len(AID) ‖ AID ‖ payload</c>, then the sequence must be above the
    /// last accepted one, and SetCounter raises the counter (the SE refuses to lower it, so a skipped check on the MCU cannot
    /// roll the window back); the actuator may run only when that write answered '9000'. Same status words as the gate
    /// applet's VERIFY COMMAND: '6982' bad MAC, '6985' replayed. Buffers are allocated once.
    /// </summary>
    public sealed class Se05xCommandGate
    {
        private readonly Se05xApplet _applet;
        private readonly Se05xObjectCommands _objects = new Se05xObjectCommands();
        private readonly Se05xCryptoCommands _crypto = new Se05xCryptoCommands();
        private readonly byte[] _aid;
        private readonly uint _key;
        private readonly uint _counter;
        private readonly byte[] _input = new byte[8 + 4 + 16 + 224];
        private readonly byte[] _command = new byte[Se05xObjectCommands.MaxCommandLength];
        private readonly byte[] _response = new byte[64];

        /// <summary>Creates the command gate of one tenant.</summary>
        /// <param name="applet">The agent's link to the IoT applet.</param>
        /// <param name="gateAid">The tenant's gate label (5 to 16 bytes) bound into every MAC; copied.</param>
        /// <param name="tenantAuthObject">The tenant's authentication object, the start of its object block.</param>
        /// <exception cref="ArgumentException">A null applet, a label not 5 to 16 bytes or an invalid block.</exception>
        public Se05xCommandGate(Se05xApplet applet, byte[] gateAid, uint tenantAuthObject)
        {
            if (applet == null || gateAid == null || gateAid.Length < 5 || gateAid.Length > 16 || !Se05xTenantLayout.IsValidAuthObject(tenantAuthObject))
            {
                throw new ArgumentException("An SE05x command gate needs the applet link, a 5- to 16-byte label and a tenant's object block.");
            }

            _applet = applet;
            _aid = (byte[])gateAid.Clone();
            _key = Se05xTenantLayout.Object(tenantAuthObject, Se05xTenantLayout.CommandKey);
            _counter = Se05xTenantLayout.Object(tenantAuthObject, Se05xTenantLayout.CommandCounter);
        }

        /// <summary>Verifies one command: <c>sequence (8) ‖ payload ‖ MAC (16)</c>.</summary>
        /// <param name="data">Buffer holding the command.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">24 to 224 bytes.</param>
        /// <returns>'9000' accepted (the counter is saved), '6982' bad MAC, '6985' sequence not above the last accepted one,
        /// '6700' bad length, or the SE's status word of the step that failed.</returns>
        public ushort VerifyCommand(byte[] data, int offset, int count)
        {
            if (count < 24 || count > 224)
            {
                return 0x6700;
            }

            try
            {
                ulong last;
                int size;
                int r = _applet.Transceive(_command, 0, _objects.ReadCounter(_counter, _command, 0), _response, 0);
                if (Se05xResponse.ReadCounter(_response, 0, r, out last, out size) != Se05xOutcome.Success)
                {
                    return StatusWord.Read(_response, 0, r);
                }

                if (size != 8)
                {
                    // The sequence is 8 bytes: a shorter counter object could not hold it.
                    return 0x6A80;
                }

                Array.Copy(data, offset, _input, 0, 8);
                int n = 8 + Bind(data, offset + 8, count - 24, _input, 8);
                r = _applet.Transceive(_command, 0, _crypto.MacValidate(_key, Se05xMacAlgorithm.Cmac128, _input, 0, n, data, offset + count - 16, 16, _command, 0), _response, 0);
                bool valid;
                if (Se05xResponse.ReadResult(_response, 0, r, out valid) != Se05xOutcome.Success)
                {
                    return StatusWord.Read(_response, 0, r);
                }

                if (!valid)
                {
                    return StatusWord.SecurityStatusNotSatisfied;
                }

                ulong sequence = 0;
                for (int i = 0; i < 8; i++)
                {
                    sequence = (sequence << 8) | data[offset + i];
                }

                if (sequence <= last)
                {
                    return StatusWord.ConditionsNotSatisfied;
                }

                r = _applet.Transceive(_command, 0, _objects.SetCounter(_counter, 8, sequence, _command, 0), _response, 0);
                return r < 2 ? (ushort)0x6F00 : StatusWord.Read(_response, 0, r);
            }
            catch (Se05xException)
            {
                // A '9000' whose data is not what AN12413 says: do not actuate.
                return 0x6F00;
            }
        }

        private int Bind(byte[] data, int dataOffset, int dataCount, byte[] output, int at)
        {
            int start = at;
            Array.Copy(GateMacInput.CommandLabel, 0, output, at, 3);
            at += 3;
            output[at++] = (byte)_aid.Length;
            Array.Copy(_aid, 0, output, at, _aid.Length);
            at += _aid.Length;
            Array.Copy(data, dataOffset, output, at, dataCount);
            return at + dataCount - start;
        }
    }
}
