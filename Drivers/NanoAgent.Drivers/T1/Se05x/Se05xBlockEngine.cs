using System;

namespace NanoAgent.Drivers.T1.Se05x
{
    /// <summary>
    /// Block-level state of <see cref="Se05xT1Protocol"/>: sequence numbers, IFSC/IFSD/BWT, the chained APDU exchange
    /// and the recovery ladder. ISO/IEC 7816-3 §11.6.2-11.6.3 rules as NXP's host stack applies them
    /// (phNxpEseProto7816_3.c): bad block → R-block, at most CrcRetryLimit times; then S(RESYNCH); then
    /// S(INTERFACE SOFT RESET); then the error is reported.
    /// </summary>
    internal sealed class Se05xBlockEngine
    {
        private readonly Se05xLink _io;
        private readonly Se05xT1Options _options;
        private readonly byte[] _tx = new byte[Se05xFrameCodec.MaxFrame];
        private readonly byte[] _ctl = new byte[8];
        private readonly byte[] _request = new byte[8];
        private readonly byte[] _inf = new byte[1];
        private int _txLength;
        private int _ctlLength;
        private bool _lastSentCtl;
        private int _ns;
        private int _nr;
        private int _errors;
        private int _wtx;
        private int _wait;
        private bool _needsResync;
        private BlockProtocolError _cause;

        internal Se05xBlockEngine(Se05xLink io, Se05xT1Options options)
        {
            _io = io;
            _options = options;
            Ifsc = Se05xFrameCodec.MaxInf;
            Ifsd = Se05xFrameCodec.MaxInf;
            BwtMilliseconds = options.DefaultBwtMilliseconds;
        }

        internal int Ifsc { get; private set; }

        internal int Ifsd { get; set; }

        internal int BwtMilliseconds { get; private set; }

        internal void ApplyInterfaceParameters(int ifsc, int bwtMilliseconds)
        {
            Ifsc = ifsc > Se05xFrameCodec.MaxInf ? Se05xFrameCodec.MaxInf : ifsc;
            BwtMilliseconds = bwtMilliseconds > 0 ? bwtMilliseconds : _options.DefaultBwtMilliseconds;
        }

        /// <summary>Runs one S-block exchange; the response stays in the link's receive buffer.</summary>
        internal void Control(Se05xSBlockType type, int value, bool hasValue)
        {
            if (!TryControl(type, value, hasValue))
            {
                _needsResync = true;
                throw new BlockProtocolException(_cause, "The SE05x did not answer S-block request 0x" + ((int)type).ToString("X2") + ".");
            }

            if (type == Se05xSBlockType.Resynch || type == Se05xSBlockType.InterfaceSoftReset || type == Se05xSBlockType.ChipReset)
            {
                _ns = 0;
                _nr = 0;
                _needsResync = false;
                if (type != Se05xSBlockType.Resynch)
                {
                    Ifsd = Se05xFrameCodec.MaxInf;
                }
            }
        }

        internal int Exchange(byte[] command, int offset, int count, byte[] response, int responseOffset, int capacity)
        {
            if (_needsResync && !RestoreLink())
            {
                throw new BlockProtocolException(_cause, "The SE05x link could not be resynchronised after an earlier failure.");
            }

            _needsResync = true;
            _errors = 0;
            _wtx = 0;
            int end = offset + count;
            int position = offset;
            int chunk = SendChunk(command, position, end);
            bool sending = true;
            int received = 0;
            while (true)
            {
                int result = _io.Receive(_wait);
                _wait = BwtMilliseconds;
                if (result != Se05xLink.Ok)
                {
                    bool timeout = result == Se05xLink.Timeout;
                    Fail(timeout ? (_io.SawBusFault ? BlockProtocolError.BusFault : BlockProtocolError.Timeout) : BlockProtocolError.RetriesExhausted);

                    // ISO/IEC 7816-3 §11.6.3: ask again with N(R) = the N(S) expected next; error bits say why.
                    SendControl(Se05xFrameCodec.RBlockPcb(_nr, timeout ? 0 : (_io.LastBadWasCrc ? 1 : 2)), 0);
                    continue;
                }

                byte[] rx = _io.Rx;
                byte pcb = rx[1];
                if (T1Pcb.IsSBlock(pcb))
                {
                    OnSBlock(pcb);
                    continue;
                }

                bool more = position + chunk < end;
                if (T1Pcb.IsRBlock(pcb))
                {
                    int sequence = Se05xFrameCodec.Sequence(pcb);
                    int error = Se05xFrameCodec.RError(pcb);
                    if (sending && more && sequence != _ns && error == 0)
                    {
                        // Acknowledgement of a chained block: send the next one.
                        _ns ^= 1;
                        position += chunk;
                        _errors = 0;
                        chunk = SendChunk(command, position, end);
                    }
                    else if (error == 1 || (sequence == _ns && (error == 0 || (sending && position == offset))))
                    {
                        // The SE got our last frame corrupt, or asks for our last block (I-block or R-ack) again.
                        Fail(BlockProtocolError.RetriesExhausted);
                        Resend(error == 1 && _lastSentCtl);
                    }
                    else
                    {
                        // "Other error" for a block past the first one, or a wrong N(R): the SE has nothing of this
                        // exchange to go on, so it lost its state (a reset) and the command may not have run.
                        throw Escalate(BlockProtocolError.DeviceReset, "The SE05x lost the exchange (reset?); the command may not have run.");
                    }

                    continue;
                }

                if (sending && more)
                {
                    throw Escalate(BlockProtocolError.ProtocolViolation, "The SE05x answered before the command chain was complete.");
                }

                int length = rx[2];
                bool chained = Se05xFrameCodec.HasMore(pcb);
                if (Se05xFrameCodec.Sequence(pcb) != _nr || (chained && length == 0))
                {
                    Fail(BlockProtocolError.RetriesExhausted);
                    SendControl(Se05xFrameCodec.RBlockPcb(_nr, 2), 0);
                    continue;
                }

                if (sending)
                {
                    // The SE's first I-block acknowledges our last one (ISO/IEC 7816-3 §11.6.2).
                    sending = false;
                    _ns ^= 1;
                }

                if (received + length > capacity)
                {
                    throw Escalate(BlockProtocolError.ResponseTooLarge, "The SE05x response does not fit the " + capacity.ToString() + "-byte buffer.");
                }

                Array.Copy(rx, Se05xFrameCodec.HeaderLength, response, responseOffset + received, length);
                received += length;
                _nr ^= 1;
                _errors = 0;
                if (!chained)
                {
                    _needsResync = false;
                    return received;
                }

                _txLength = Se05xFrameCodec.Encode(_tx, Se05xFrameCodec.NadHostToSe, Se05xFrameCodec.RBlockPcb(_nr, 0), null, 0, 0);
                Resend(false);
            }
        }

        private void OnSBlock(byte pcb)
        {
            byte[] rx = _io.Rx;
            Se05xSBlockType type = Se05xFrameCodec.SType(pcb);
            if (Se05xFrameCodec.IsSResponse(pcb))
            {
                throw Escalate(BlockProtocolError.ProtocolViolation, "The SE05x sent an S-block response nobody asked for.");
            }

            if (type == Se05xSBlockType.Abort)
            {
                SendControl(Se05xFrameCodec.SBlockPcb(type, true), 0);
                throw Escalate(BlockProtocolError.Aborted, "The SE05x aborted the exchange.");
            }

            if ((type != Se05xSBlockType.Wtx && type != Se05xSBlockType.Ifs) || rx[2] != 1 || (type == Se05xSBlockType.Ifs && (rx[3] == 0 || rx[3] > Se05xFrameCodec.MaxInf)))
            {
                throw Escalate(BlockProtocolError.ProtocolViolation, "The SE05x sent an S-block request that is not allowed here.");
            }

            if (++_wtx > _options.MaxWtxRequests)
            {
                throw Escalate(BlockProtocolError.Timeout, "The SE05x kept asking for more time (S(WTX)/S(IFS) limit reached).");
            }

            int value = rx[3];
            SendControl(Se05xFrameCodec.SBlockPcb(type, true), value, true);
            if (type == Se05xSBlockType.Wtx)
            {
                // ISO/IEC 7816-3 §11.6.2: the next wait is the multiplier times BWT, for this block only.
                _wait = BwtMilliseconds * (value == 0 ? 1 : value);
            }
            else
            {
                Ifsc = value;
            }
        }

        private void Fail(BlockProtocolError cause)
        {
            _cause = cause;
            if (++_errors > _options.CrcRetryLimit)
            {
                throw Escalate(cause, cause == BlockProtocolError.Timeout ? "The SE05x stopped answering." : "The SE05x exchange kept failing after every retransmission.");
            }
        }

        private BlockProtocolException Escalate(BlockProtocolError cause, string message)
        {
            _needsResync = true;
            bool restored = RestoreLink();
            _needsResync = !restored;
            return new BlockProtocolException(cause, message + (restored ? " The link was resynchronised." : " The link could not be resynchronised."));
        }

        private bool RestoreLink()
        {
            if (!TryControl(Se05xSBlockType.Resynch, 0, false) && !TrySoftReset())
            {
                return false;
            }

            _ns = 0;
            _nr = 0;
            _needsResync = false;
            return true;
        }

        private bool TrySoftReset()
        {
            if (!TryControl(Se05xSBlockType.InterfaceSoftReset, 0, false))
            {
                return false;
            }

            try
            {
                Se05xAtr atr = Se05xAtr.Parse(_io.Rx, Se05xFrameCodec.HeaderLength, _io.Rx[2]);
                ApplyInterfaceParameters(atr.Ifsc, atr.BwtMilliseconds);
                Ifsd = Se05xFrameCodec.MaxInf;
                return true;
            }
            catch (BlockProtocolException)
            {
                return false;
            }
        }

        private bool TryControl(Se05xSBlockType type, int value, bool hasValue)
        {
            _inf[0] = (byte)value;
            int length = Se05xFrameCodec.Encode(_request, Se05xFrameCodec.NadHostToSe, Se05xFrameCodec.SBlockPcb(type, false), _inf, 0, hasValue ? 1 : 0);
            for (int attempt = 0; attempt <= _options.CrcRetryLimit; attempt++)
            {
                _io.Send(_request, length);
                int wait = BwtMilliseconds;
                int wtx = 0;
                while (true)
                {
                    int result = _io.Receive(wait);
                    wait = BwtMilliseconds;
                    byte[] rx = _io.Rx;
                    if (result == Se05xLink.Ok && rx[1] == Se05xFrameCodec.SBlockPcb(type, true))
                    {
                        return true;
                    }

                    if (result == Se05xLink.Ok && rx[1] == Se05xFrameCodec.SBlockPcb(Se05xSBlockType.Wtx, false) && rx[2] == 1 && wtx++ < _options.MaxWtxRequests)
                    {
                        int multiplier = rx[3];
                        SendControl(Se05xFrameCodec.SBlockPcb(Se05xSBlockType.Wtx, true), multiplier, true);
                        wait = BwtMilliseconds * (multiplier == 0 ? 1 : multiplier);
                        continue;
                    }

                    _cause = result == Se05xLink.Timeout ? (_io.SawBusFault ? BlockProtocolError.BusFault : BlockProtocolError.Timeout)
                        : result == Se05xLink.BadFrame ? BlockProtocolError.RetriesExhausted : BlockProtocolError.ProtocolViolation;
                    break;
                }
            }

            return false;
        }

        private int SendChunk(byte[] command, int position, int end)
        {
            int chunk = end - position > Ifsc ? Ifsc : end - position;
            bool more = position + chunk < end;
            _txLength = Se05xFrameCodec.Encode(_tx, Se05xFrameCodec.NadHostToSe, Se05xFrameCodec.IBlockPcb(_ns, more), command, position, chunk);
            Resend(false);
            return chunk;
        }

        private void SendControl(byte pcb, int value, bool hasValue = false)
        {
            _inf[0] = (byte)value;
            _ctlLength = Se05xFrameCodec.Encode(_ctl, Se05xFrameCodec.NadHostToSe, pcb, _inf, 0, hasValue ? 1 : 0);
            Resend(true);
        }

        private void Resend(bool control)
        {
            _lastSentCtl = control;
            _wait = BwtMilliseconds;
            if (control)
            {
                _io.Send(_ctl, _ctlLength);
            }
            else
            {
                _io.Send(_tx, _txLength);
            }
        }
    }
}
