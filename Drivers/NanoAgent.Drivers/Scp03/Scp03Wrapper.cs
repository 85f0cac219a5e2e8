using System;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Scp03
{
    /// <summary>
    /// Host-side secure messaging of an open SCP03 session: wraps commands (C-DECRYPTION, C-MAC) and unwraps responses
    /// (R-MAC, R-ENCRYPTION) per GP Amd D §6.2.4-§6.2.7, short APDUs and (as NXP's SE05x middleware sends them) extended
    /// ones. The MAC chaining value and encryption counter advance only when a command is wrapped successfully; unwrapping
    /// never changes them, so a rejected response leaves the session as it was. Buffers are allocated once; Wrap and Unwrap
    /// allocate nothing.
    /// </summary>
    public sealed class Scp03Wrapper
    {
        private const int Block = 16;

        private readonly Scp03SessionKeys _keys;
        private readonly byte _level;
        private readonly byte[] _chainingValue = new byte[Block];
        private readonly byte[] _nextChainingValue = new byte[Block];
        private readonly byte[] _counter = new byte[Block];
        private readonly byte[] _nextCounter = new byte[Block];

        /// <summary>Creates the wrapper right after EXTERNAL AUTHENTICATE.</summary>
        /// <param name="keys">The session keys.</param>
        /// <param name="securityLevel">The security level sent in EXTERNAL AUTHENTICATE.</param>
        /// <param name="chainingValue">The 16-byte MAC chaining value after EXTERNAL AUTHENTICATE (its full CMAC).</param>
        /// <param name="chainingValueOffset">First byte of the chaining value.</param>
        public Scp03Wrapper(Scp03SessionKeys keys, byte securityLevel, byte[] chainingValue, int chainingValueOffset)
        {
            if (keys == null)
            {
                throw new ArgumentNullException("keys");
            }

            _keys = keys;
            _level = securityLevel;
            Array.Copy(chainingValue, chainingValueOffset, _chainingValue, 0, Block);
        }

        /// <summary>Gets the security level.</summary>
        public byte SecurityLevel
        {
            get { return _level; }
        }

        /// <summary>Copies the 16-byte encryption counter (Amd D §6.2.6: 1 for the first command after EXTERNAL AUTHENTICATE).</summary>
        /// <param name="output">Buffer receiving 16 bytes.</param>
        /// <param name="offset">Where the first byte goes.</param>
        public void GetCounter(byte[] output, int offset)
        {
            Array.Copy(_counter, 0, output, offset, Block);
        }

        /// <summary>Copies the 16-byte MAC chaining value.</summary>
        /// <param name="output">Buffer receiving 16 bytes.</param>
        /// <param name="offset">Where the first byte goes.</param>
        public void GetChainingValue(byte[] output, int offset)
        {
            Array.Copy(_chainingValue, 0, output, offset, Block);
        }

        /// <summary>
        /// Gets or sets whether the encryption counter counts only commands that carry data, as the SE050's platform SCP03
        /// does (applet versions below 4.3: NXP middleware fsl_sss_se05x_apis.c switches on appletVersion 0x04030000, and
        /// nxScp03_Com.c increments the counter only when the command had data and takes the response ICV from the counter
        /// of the last such command). False (the default) is GP Amd D v1.1.1 §6.2.6: every command counts. Set it before
        /// the first <see cref="Wrap"/>.
        /// </summary>
        public bool CountsCommandsWithDataOnly { get; set; }

        /// <summary>
        /// Wraps a plain command APDU. Input and output may be the same buffer at the same offset. A short command gives a
        /// short wrapped command; an extended one (Lc <c>00 hh ll</c>, Le <c>hh ll</c>) gives an extended wrapped command whose
        /// C-MAC covers the three Lc bytes, as NXP's SE05x middleware sends them under platform SCP03 (se05x_tlv.c
        /// se05x_Transform_scp: the Le <c>00 00</c> follows the C-MAC and is not MACed).
        /// </summary>
        /// <param name="command">Buffer holding the plain command.</param>
        /// <param name="offset">First command byte.</param>
        /// <param name="count">Command length.</param>
        /// <param name="output">Buffer receiving the wrapped command (up to 16 + MAC length bytes longer).</param>
        /// <param name="outputOffset">Where the first wrapped byte goes.</param>
        /// <returns>The wrapped command length.</returns>
        /// <exception cref="SecureChannelException">The command is malformed, already secured, too long, or the output too small.</exception>
        public int Wrap(byte[] command, int offset, int count, byte[] output, int outputOffset)
        {
            CommandApduView view;
            if (CommandApduView.TryParse(command, offset, count, out view) != 0)
            {
                throw new SecureChannelException(SecureChannelError.InvalidCommand, "Only well-formed command APDUs can be wrapped.");
            }

            byte smBit = (view.Cla & 0x40) != 0 ? (byte)0x20 : (byte)0x04;
            if ((view.Cla & smBit) != 0)
            {
                throw new SecureChannelException(SecureChannelError.InvalidCommand, "The command already has the secure messaging bit set.");
            }

            bool extended = view.IsExtended;
            bool cmac = (_level & Scp03SecurityLevel.CMac) != 0;
            bool cdec = (_level & Scp03SecurityLevel.CDecryption) != 0;
            int nc = view.Nc;
            int dataLength = cdec && nc > 0 ? Crypto.BitPadding.PaddedLength(nc, Block) : nc;
            int lc = dataLength + (cmac ? _keys.MacLength : 0);
            if (lc > (extended ? 65535 : 255))
            {
                throw new SecureChannelException(SecureChannelError.CommandTooLong, extended
                    ? "The wrapped command would need Lc above 65535."
                    : "The wrapped command would need Lc above 255.");
            }

            int lcBytes = lc > 0 ? (extended ? 3 : 1) : 0;
            int leBytes = !view.HasLe ? 0 : !extended ? 1 : lc > 0 ? 2 : 3;
            int total = 4 + lcBytes + lc + leBytes;
            if (output == null || outputOffset < 0 || output.Length - outputOffset < total)
            {
                throw new SecureChannelException(SecureChannelError.BufferTooSmall, "The output buffer cannot hold the wrapped command.");
            }

            if (!cmac)
            {
                // Security level 00: no secure messaging after EXTERNAL AUTHENTICATE.
                Array.Copy(command, offset, output, outputOffset, count);
                return count;
            }

            byte cla = (byte)(view.Cla | smBit);
            int ne = view.Ne;
            int data = outputOffset + 4 + lcBytes;
            Array.Copy(command, view.DataOffset, output, data, nc);

            // Amd D §6.2.6: the counter is incremented for every command, with or without data (the SE050's platform
            // channel counts data commands only, see CountsCommandsWithDataOnly); commit only on success.
            Array.Copy(_counter, 0, _nextCounter, 0, Block);
            if (!CountsCommandsWithDataOnly || nc > 0)
            {
                Scp03SessionKeys.IncrementCounter(_nextCounter);
            }

            if (cdec && nc > 0)
            {
                _keys.EncryptData(_nextCounter, false, output, data, nc);
            }

            // Amd D §6.2.4: C-MAC over chaining value | CLA (with SM bit) INS P1 P2 Lc (including the MAC) | data.
            _keys.ComputeCommandMac(_chainingValue, cla, view.Ins, view.P1, view.P2, lc, extended, output, data, dataLength, _nextChainingValue);
            Array.Copy(_nextChainingValue, 0, output, data + dataLength, _keys.MacLength);
            output[outputOffset] = cla;
            output[outputOffset + 1] = view.Ins;
            output[outputOffset + 2] = view.P1;
            output[outputOffset + 3] = view.P2;
            if (extended)
            {
                output[outputOffset + 4] = 0;
                output[outputOffset + 5] = (byte)(lc >> 8);
                output[outputOffset + 6] = (byte)lc;
                if (view.HasLe)
                {
                    output[data + lc] = (byte)(ne == 65536 ? 0 : ne >> 8);
                    output[data + lc + 1] = (byte)(ne == 65536 ? 0 : ne);
                }
            }
            else
            {
                output[outputOffset + 4] = (byte)lc;
                if (view.HasLe)
                {
                    output[data + lc] = (byte)(ne == 256 ? 0 : ne);
                }
            }

            Array.Copy(_nextChainingValue, 0, _chainingValue, 0, Block);
            Array.Copy(_nextCounter, 0, _counter, 0, Block);
            return total;
        }

        /// <summary>Unwraps the response to the last wrapped command. Input and output may be the same buffer at the same offset.</summary>
        /// <param name="response">Buffer holding the response (data, R-MAC, SW1 SW2).</param>
        /// <param name="offset">First response byte.</param>
        /// <param name="count">Response length.</param>
        /// <param name="output">Buffer receiving the plain response (data and SW1 SW2).</param>
        /// <param name="outputOffset">Where the first plain byte goes.</param>
        /// <returns>The plain response length, including the status word.</returns>
        /// <exception cref="SecureChannelException">The response is too short, its R-MAC or padding is wrong, it is malformed, or the output is too small.</exception>
        public int Unwrap(byte[] response, int offset, int count, byte[] output, int outputOffset)
        {
            if (response == null || offset < 0 || count < 2 || offset + count > response.Length)
            {
                throw new SecureChannelException(SecureChannelError.ResponseTooShort, "A response needs at least a status word.");
            }

            byte sw1 = response[offset + count - 2];
            byte sw2 = response[offset + count - 1];
            int dataLength = count - 2;
            bool rmac = (_level & Scp03SecurityLevel.RMac) != 0;
            int plainLength = dataLength - _keys.MacLength + 2;
            CheckCapacity(output, outputOffset, rmac ? (plainLength > 2 ? plainLength : 2) : count);
            if (!rmac)
            {
                Array.Copy(response, offset, output, outputOffset, count);
                return count;
            }

            // Amd D §6.2.5: responses with an error status word (not 9000, 62xx, 63xx) carry no data and no R-MAC.
            if (!(sw1 == 0x90 && sw2 == 0x00) && sw1 != 0x62 && sw1 != 0x63)
            {
                if (dataLength != 0)
                {
                    throw new SecureChannelException(SecureChannelError.InvalidResponse, "A response with an error status word must carry no data.");
                }

                output[outputOffset] = sw1;
                output[outputOffset + 1] = sw2;
                return 2;
            }

            int payload = dataLength - _keys.MacLength;
            if (payload < 0)
            {
                throw new SecureChannelException(SecureChannelError.ResponseTooShort, "The response is shorter than its R-MAC.");
            }

            if (!_keys.VerifyResponseMac(_chainingValue, response, offset, payload, sw1, sw2, response, offset + payload))
            {
                throw new SecureChannelException(SecureChannelError.ResponseMacMismatch, "The response R-MAC does not verify.");
            }

            int plain = payload;
            Array.Copy(response, offset, output, outputOffset, payload);
            if ((_level & Scp03SecurityLevel.REncryption) != 0 && payload > 0)
            {
                if (payload % Block != 0)
                {
                    throw new SecureChannelException(SecureChannelError.InvalidResponse, "Encrypted response data is not a whole number of blocks.");
                }

                // Amd D §6.2.7: ICV = AES(S-ENC, counter of the command with its first byte set to 80).
                plain = _keys.DecryptData(_counter, true, output, outputOffset, payload);
                if (plain < 0)
                {
                    throw new SecureChannelException(SecureChannelError.InvalidPadding, "Decrypted response data has no valid 80 00.. padding.");
                }
            }

            output[outputOffset + plain] = sw1;
            output[outputOffset + plain + 1] = sw2;
            return plain + 2;
        }

        private static void CheckCapacity(byte[] output, int outputOffset, int needed)
        {
            if (output == null || outputOffset < 0 || output.Length - outputOffset < needed)
            {
                throw new SecureChannelException(SecureChannelError.BufferTooSmall, "The output buffer cannot hold the unwrapped response.");
            }
        }
    }
}
