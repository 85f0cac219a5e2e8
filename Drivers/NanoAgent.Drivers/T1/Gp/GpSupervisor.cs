using System;

namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>
    /// S-block traffic of a <see cref="GpT1Protocol"/>: host requests with their responses (repeated on errors), and the answers
    /// to requests the SE may make in the middle of an exchange (WTX, IFS, ABORT), per ISO/IEC 7816-3 §11.6.2.3 and GPC_SPE_172 §4.2.4.
    /// </summary>
    internal sealed class GpSupervisor
    {
        private static readonly byte[] NoInf = new byte[0];

        private readonly GpT1Protocol _protocol;
        private readonly GpBlockLink _blocks;
        private readonly byte[] _replyInf = new byte[2];

        public GpSupervisor(GpT1Protocol protocol)
        {
            _protocol = protocol;
            _blocks = protocol.Blocks;
        }

        /// <summary>Sends an S-block request and waits for its response; repeats the request on errors (ISO/IEC 7816-3 §11.6.3.2 rule 7.3).</summary>
        public void Exchange(GpSBlockType type, byte[] inf, int infCount)
        {
            bool sawBlock = false;
            int wtx = 0;
            _blocks.Send(GpPcb.SBlock(type, false), inf, 0, infCount);
            for (int errors = 0; ;)
            {
                GpReceiveStatus status = _protocol.ReceiveBlock();
                byte pcb = _blocks.Pcb;
                if (status == GpReceiveStatus.Ok && T1Pcb.IsSBlock(pcb))
                {
                    if (GpPcb.IsSResponse(pcb) && GpPcb.SType(pcb) == type)
                    {
                        return;
                    }

                    if (!GpPcb.IsSResponse(pcb) && GpPcb.SType(pcb) == GpSBlockType.Wtx && ++wtx <= _protocol.Options.MaxWtxRequests && AnswerSeRequest())
                    {
                        continue;
                    }
                }

                sawBlock |= status != GpReceiveStatus.Timeout;
                if (++errors > _protocol.Options.MaxRetries)
                {
                    BlockProtocolError error = sawBlock ? BlockProtocolError.RetriesExhausted : BlockProtocolError.Timeout;
                    throw new BlockProtocolException(error, "The SE did not answer an S-block request properly after " + errors + " attempts.");
                }

                _blocks.Send(GpPcb.SBlock(type, false), inf, 0, infCount);
            }
        }

        /// <summary>Answers an S-block request from the SE that is in the receive buffer.</summary>
        /// <returns>False when the request is not one the SE may send (the caller treats it as a bad block).</returns>
        /// <exception cref="BlockProtocolException"><see cref="BlockProtocolError.Aborted"/> after S(ABORT).</exception>
        public bool AnswerSeRequest()
        {
            GpSBlockType type = GpPcb.SType(_blocks.Pcb);
            int infCount = _blocks.InfCount;
            if (type == GpSBlockType.Wtx && infCount == 1)
            {
                // ISO/IEC 7816-3 §11.6.2.3: the response echoes the multiplier; it applies to the next wait only.
                _replyInf[0] = _blocks.Rx[GpFrameCodec.PrologueLength];
                _protocol.WtxMultiplier = _replyInf[0] == 0 ? 1 : _replyInf[0];
                _blocks.Send(GpPcb.SBlock(type, true), _replyInf, 0, 1);
                return true;
            }

            if (type == GpSBlockType.Ifs)
            {
                int ifsc = GpFrameCodec.DecodeIfs(_blocks.Rx, GpFrameCodec.PrologueLength, infCount);
                if (ifsc < 0)
                {
                    return false;
                }

                int length = GpFrameCodec.EncodeIfs(ifsc, _replyInf, 0);
                _blocks.Send(GpPcb.SBlock(type, true), _replyInf, 0, length);
                _protocol.ApplySeIfsc(ifsc);
                return true;
            }

            if (type == GpSBlockType.Abort && infCount == 0)
            {
                _blocks.Send(GpPcb.SBlock(type, true), NoInf, 0, 0);
                _protocol.TryResynchronize();
                throw new BlockProtocolException(BlockProtocolError.Aborted, "The SE aborted the chain (S(ABORT)); the link was resynchronised.");
            }

            return false;
        }
    }
}
