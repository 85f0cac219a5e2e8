using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Jrcp;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// The runtime's SE as the board link lends it: the same link the relay and the gates use (platform SCP03 included,
    /// so a lab tool needs no platform keys), never reset or re-opened for the lab. The caller holds the runtime's
    /// <see cref="SeAccessLock"/>.
    /// </summary>
    internal sealed class RuntimeLentSe : ILentSe
    {
        private readonly RuntimeSeLink _se;

        public RuntimeLentSe(RuntimeSeLink se)
        {
            _se = se;
        }

        public int ReadAtr(byte[] buffer, int offset)
        {
            byte[] atr = _se.IsUp ? _se.InterfaceBytes : null;
            if (atr == null)
            {
                return 0;
            }

            int n = atr.Length < buffer.Length - offset ? atr.Length : buffer.Length - offset;
            System.Array.Copy(atr, 0, buffer, offset, n);
            return n;
        }

        public int Transmit(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            CommandApduView view;
            if (CommandApduView.TryParse(command, commandOffset, commandCount, out view) != 0)
            {
                // Platform SCP03 wraps only well-formed APDUs (GP Amd D §6.2.4); ISO/IEC 7816-4 §5.6: 67 00, wrong length.
                response[responseOffset] = 0x67;
                response[responseOffset + 1] = 0x00;
                return 2;
            }

            try
            {
                return _se.Transceive(command, commandOffset, commandCount, response, responseOffset);
            }
            catch (SecureChannelException e)
            {
                throw new BlockProtocolException(BlockProtocolError.ProtocolViolation, "platform SCP03: " + e.Message);
            }
            catch (ApduException e)
            {
                throw new BlockProtocolException(BlockProtocolError.ProtocolViolation, "the APDU layer: " + e.Message);
            }
        }
    }
}
