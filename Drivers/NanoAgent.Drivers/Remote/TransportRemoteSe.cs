using System;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// Serves a remote test-tool session from an SE behind a block protocol (GP T=1' or SE05x T=1oI2C). A cold reset ends
    /// the protocol session and activates it again; a warm reset is the protocol's soft reset. Neither cuts power: boards
    /// without a power switch for the SE cannot do more.
    /// </summary>
    public sealed class TransportRemoteSe : IRemoteSe
    {
        private readonly ISeTransport _transport;
        private readonly string _where;

        /// <summary>Creates the adapter over a transport it does not own.</summary>
        /// <param name="transport">The block protocol.</param>
        /// <param name="where">Where the SE is, such as "/dev/i2c-1 0x48", for REQ_DIAG.</param>
        public TransportRemoteSe(ISeTransport transport, string where)
        {
            _transport = transport;
            _where = where;
        }

        /// <inheritdoc />
        public int ColdReset(byte[] atr, int offset)
        {
            try
            {
                _transport.Close();
            }
            catch (BlockProtocolException)
            {
                // A cold reset must work from any state, including a link the SE no longer follows: activate regardless.
            }

            return Copy(_transport.Open(), atr, offset);
        }

        /// <inheritdoc />
        public int WarmReset(byte[] atr, int offset) => Copy(_transport.SoftReset(), atr, offset);

        /// <inheritdoc />
        public int Transmit(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset) =>
            _transport.Transceive(command, commandOffset, commandCount, response, responseOffset);

        /// <inheritdoc />
        public string Describe()
        {
            byte[] atr = _transport.InterfaceBytes;
            var text = new System.Text.StringBuilder();
            text.Append(_transport.ProtocolName).Append(" on ").Append(_where);
            text.Append(", IFSC ").Append(_transport.Ifsc.ToString()).Append(", IFSD ").Append(_transport.Ifsd.ToString());
            text.Append(atr == null ? ", not activated" : ", ATR/CIP ");
            if (atr != null)
            {
                for (int i = 0; i < atr.Length; i++)
                {
                    text.Append("0123456789ABCDEF"[atr[i] >> 4]).Append("0123456789ABCDEF"[atr[i] & 0x0F]);
                }
            }

            return text.ToString();
        }

        private static int Copy(byte[] source, byte[] target, int offset)
        {
            int n = source.Length < target.Length - offset ? source.Length : target.Length - offset;
            Array.Copy(source, 0, target, offset, n);
            return n;
        }
    }
}
