using System;

namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>
    /// One APDU exchange of a <see cref="GpT1Protocol"/>: sends the command as a chain of I-blocks no larger than IFSC, then
    /// collects the response chain, acknowledging each block. Recovery follows ISO/IEC 7816-3 §11.6.3.2 as GPC_SPE_172 §4.4
    /// adopts it: a bad block or silence is answered with an R-block carrying the expected N(R); an R-block naming the pending
    /// I-block asks for it again; past the retry limit the link is resynchronised and the exchange fails. Reused for every APDU.
    /// </summary>
    internal sealed class GpExchange
    {
        private const int Handled = 0;
        private const int Done = 1;
        private const int Unexpected = 2;

        private readonly GpT1Protocol _protocol;
        private readonly GpBlockLink _blocks;
        private readonly GpSupervisor _supervisor;
        private byte[] _command;
        private int _commandOffset;
        private int _commandCount;
        private int _sent;
        private int _chunk;
        private bool _more;
        private bool _sending;
        private byte[] _response;
        private int _responseOffset;
        private int _capacity;
        private int _total;
        private bool _overflow;
        private int _errors;
        private bool _sawBadBlock;
        private int _wtx;

        public GpExchange(GpT1Protocol protocol, GpSupervisor supervisor)
        {
            _protocol = protocol;
            _supervisor = supervisor;
            _blocks = protocol.Blocks;
        }

        public int Run(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            _command = command;
            _commandOffset = commandOffset;
            _commandCount = commandCount;
            _response = response;
            _responseOffset = responseOffset;
            _capacity = response.Length > responseOffset ? response.Length - responseOffset : 0;
            _sent = 0;
            _sending = true;
            _total = 0;
            _overflow = false;
            _errors = 0;
            _sawBadBlock = false;
            _wtx = 0;
            try
            {
                SendChunk();
                while (true)
                {
                    GpReceiveStatus status = _protocol.ReceiveBlock();
                    if (status == GpReceiveStatus.Ok)
                    {
                        int outcome = OnBlock();
                        if (outcome == Done)
                        {
                            return Finish();
                        }

                        if (outcome == Handled)
                        {
                            continue;
                        }
                    }

                    _sawBadBlock |= status != GpReceiveStatus.Timeout;
                    CountError();

                    // ISO/IEC 7816-3 §11.6.3.2 rules 7.1, 7.2 and 7.6: ask for the block again with the N(R) expected.
                    GpRBlockError error = status == GpReceiveStatus.CrcError ? GpRBlockError.Crc : GpRBlockError.Other;
                    _blocks.Send(GpPcb.RBlock(_protocol.ReceiveSequence, error), null, 0, 0);
                }
            }
            finally
            {
                _command = null;
                _response = null;
            }
        }

        private int OnBlock()
        {
            byte pcb = _blocks.Pcb;
            if (T1Pcb.IsSBlock(pcb) && !GpPcb.IsSResponse(pcb))
            {
                if (GpPcb.SType(pcb) == GpSBlockType.Wtx && ++_wtx > _protocol.Options.MaxWtxRequests)
                {
                    throw Fail(false, true);
                }

                return _supervisor.AnswerSeRequest() ? Handled : Unexpected;
            }

            int ns = _protocol.SendSequence;
            if (_sending && T1Pcb.IsRBlock(pcb))
            {
                if (GpPcb.ReceiveSequence(pcb) == ns)
                {
                    // ISO/IEC 7816-3 §11.6.3.2 rule 6.2 / 7.4: the SE did not get the pending I-block; send it again.
                    _sawBadBlock = true;
                    CountError();
                    SendChunk();
                    return Handled;
                }

                if (_more)
                {
                    // Rule 2.2: R(N(R) = next N(S)) acknowledges a chained block.
                    _protocol.SendSequence = ns ^ 1;
                    _sent += _chunk;
                    _errors = 0;
                    SendChunk();
                    return Handled;
                }

                return Unexpected;
            }

            if (T1Pcb.IsIBlock(pcb) && GpPcb.SendSequence(pcb) == _protocol.ReceiveSequence && (!_sending || !_more))
            {
                if (_sending)
                {
                    // The first response block acknowledges the last command block.
                    _protocol.SendSequence = ns ^ 1;
                    _sending = false;
                }

                _errors = 0;
                return Accept(pcb);
            }

            return Unexpected;
        }

        private int Accept(byte pcb)
        {
            int count = _blocks.InfCount;
            if (!_overflow && _total + count <= _capacity)
            {
                Array.Copy(_blocks.Rx, GpFrameCodec.PrologueLength, _response, _responseOffset + _total, count);
            }
            else
            {
                _overflow = true;
            }

            _total += count;
            _protocol.ReceiveSequence ^= 1;
            if (_total > _protocol.Options.MaxResponseSize)
            {
                _protocol.TryResynchronize();
                throw TooLarge("the SE sent more than the largest response allowed; the link was resynchronised");
            }

            if (!GpPcb.HasMore(pcb))
            {
                return Done;
            }

            // Rule 2.2: acknowledge a chained block with R(N(R) = the next N(S) expected).
            _blocks.Send(GpPcb.RBlock(_protocol.ReceiveSequence, GpRBlockError.None), null, 0, 0);
            return Handled;
        }

        private int Finish()
        {
            if (_overflow)
            {
                throw TooLarge("the whole chain was drained and the link is in step");
            }

            return _total;
        }

        private void SendChunk()
        {
            int left = _commandCount - _sent;
            _chunk = _protocol.Ifsc < left ? _protocol.Ifsc : left;
            _more = _sent + _chunk < _commandCount;
            _blocks.Send(GpPcb.IBlock(_protocol.SendSequence, _more), _command, _commandOffset + _sent, _chunk);
        }

        private void CountError()
        {
            if (++_errors > _protocol.Options.MaxRetries)
            {
                throw Fail(_sawBadBlock, false);
            }
        }

        /// <summary>After the retry limit: resynchronise, then report why the exchange failed.</summary>
        private BlockProtocolException Fail(bool sawBadBlock, bool sawWtxFlood)
        {
            BlockProtocolException resynch = _protocol.TryResynchronize();
            if (resynch != null)
            {
                return new BlockProtocolException(resynch.Error, "The GP T=1' exchange failed and S(RESYNCH) did not succeed: " + resynch.Message);
            }

            if (sawWtxFlood)
            {
                return new BlockProtocolException(BlockProtocolError.Timeout, "The SE asked for more waiting time extensions than allowed; the link was resynchronised.");
            }

            if (sawBadBlock)
            {
                return new BlockProtocolException(BlockProtocolError.RetriesExhausted, "Blocks kept arriving corrupt or out of sequence; the link was resynchronised.");
            }

            // Only silence, yet the SE answers S(RESYNCH): it lost the exchange (reset or brown-out). Propose IFSD again.
            if (_protocol.Options.NegotiateIfsd)
            {
                TryNegotiateIfsd();
            }

            return new BlockProtocolException(BlockProtocolError.DeviceReset, "The SE stopped answering mid-exchange but answers S(RESYNCH): it lost its state; the command may not have run.");
        }

        private void TryNegotiateIfsd()
        {
            try
            {
                _protocol.NegotiateIfsd(_protocol.Ifsd);
            }
            catch (BlockProtocolException)
            {
                // The failure being reported matters more; the next exchange will show whether the SE is usable.
            }
        }

        private BlockProtocolException TooLarge(string detail)
        {
            return new BlockProtocolException(BlockProtocolError.ResponseTooLarge, "The response (" + _total + " bytes) does not fit the buffer (" + _capacity + " bytes); " + detail + ".");
        }
    }
}
