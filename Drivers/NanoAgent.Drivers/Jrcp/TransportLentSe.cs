using System;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Drivers.Jrcp
{
    /// <summary>
    /// Lends an SE behind a block protocol it does not own: the ATR is the one read at the last activation (the link is
    /// activated on first use, and again after a failure); APDUs go through as they are.
    /// </summary>
    public sealed class TransportLentSe : ILentSe
    {
        private readonly ISeTransport _transport;
        private bool _open;

        /// <summary>Creates the adapter.</summary>
        /// <param name="transport">The block protocol, opened or not.</param>
        /// <exception cref="ArgumentNullException"><paramref name="transport"/> is null.</exception>
        public TransportLentSe(ISeTransport transport)
        {
            if (transport == null)
            {
                throw new ArgumentNullException("transport");
            }

            _transport = transport;
            _open = transport.InterfaceBytes != null;
        }

        /// <summary>Gets the block protocol.</summary>
        public ISeTransport Transport
        {
            get { return _transport; }
        }

        /// <summary>Marks the link as needing activation before its next use (after a reset or power-off done elsewhere).</summary>
        public void Invalidate()
        {
            _open = false;
        }

        /// <summary>Marks the link as activated (after an activation or reset done elsewhere on <see cref="Transport"/>).</summary>
        public void Validate()
        {
            _open = true;
        }

        /// <inheritdoc />
        public int ReadAtr(byte[] buffer, int offset)
        {
            if (!EnsureOpen())
            {
                return 0;
            }

            byte[] atr = _transport.InterfaceBytes;
            int n = atr.Length < buffer.Length - offset ? atr.Length : buffer.Length - offset;
            Array.Copy(atr, 0, buffer, offset, n);
            return n;
        }

        /// <inheritdoc />
        public int Transmit(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            if (!_open)
            {
                _transport.Open();
                _open = true;
            }

            try
            {
                return _transport.Transceive(command, commandOffset, commandCount, response, responseOffset);
            }
            catch (BlockProtocolException e)
            {
                // The protocol resynchronised or gave up; a link that gave up is activated afresh before the next use.
                if (e.Error != BlockProtocolError.CommandTooLarge && e.Error != BlockProtocolError.ResponseTooLarge)
                {
                    _open = false;
                }

                throw;
            }
        }

        private bool EnsureOpen()
        {
            if (_open)
            {
                return true;
            }

            try
            {
                _transport.Open();
                _open = true;
            }
            catch (BlockProtocolException)
            {
                return false;
            }

            return true;
        }
    }
}
