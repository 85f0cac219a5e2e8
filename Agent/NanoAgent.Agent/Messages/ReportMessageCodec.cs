using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Messages
{
    /// <summary>
    /// Encodes and decodes the messages the agent sends: APDU responses (E3), progress (E4), results (E5) and status (E6).
    /// Layout in docs/protocol.md §3. Decoding is strict: anything malformed throws <see cref="AgentMessageException"/>.
    /// </summary>
    public static class ReportMessageCodec
    {
        /// <summary>Encodes a script result.</summary>
        /// <param name="result">The result.</param>
        /// <returns>The message bytes.</returns>
        /// <exception cref="AgentMessageException">A field is missing or out of range, or the message is too large.</exception>
        public static byte[] Encode(ScriptResult result)
        {
            if (result == null || result.Steps == null || result.Steps.Length > ScriptMessageCodec.MaxSteps || result.StepCount < 0 || result.FailedStep < -1)
            {
                throw TlvFields.Invalid();
            }

            int bound = 128;
            for (int i = 0; i < result.Steps.Length; i++)
            {
                if (result.Steps[i] == null || result.Steps[i].Index < 0)
                {
                    throw TlvFields.Invalid();
                }

                bound += 32 + (result.Steps[i].Data == null ? 0 : result.Steps[i].Data.Length);
            }

            try
            {
                byte[] buffer = new byte[bound];
                BerTlvWriter w = TlvFields.Begin(buffer, MessageType.Result);
                TlvFields.WriteBytes(w, 0x80, result.ScriptId, 0, TlvFields.MaxIdLength);
                TlvFields.WriteIdent(w, 0x81, result.TenantId, TlvFields.MaxIdLength);
                TlvFields.WriteCounter(w, 0x82, result.Counter);
                w.WriteByte(0x83, (byte)result.Outcome);
                if (result.Reason != RejectReason.None)
                {
                    w.WriteByte(0x84, (byte)result.Reason);
                }

                if (result.FailedStep >= 0)
                {
                    TlvFields.WriteNumber(w, 0x85, (uint)result.FailedStep);
                }

                TlvFields.WriteNumber(w, 0x86, (uint)result.StepCount);
                if (result.SetupSw != 0)
                {
                    TlvFields.WriteSw(w, 0x87, result.SetupSw);
                }

                for (int i = 0; i < result.Steps.Length; i++)
                {
                    StepResult s = result.Steps[i];
                    w.BeginConstructed(0xA0);
                    TlvFields.WriteNumber(w, 0x80, (uint)s.Index);
                    w.WriteByte(0x81, (byte)s.Outcome);
                    if (s.HasSw)
                    {
                        TlvFields.WriteSw(w, 0x82, s.Sw);
                    }

                    if (s.Data != null)
                    {
                        w.Write(0x83, s.Data, 0, s.Data.Length);
                    }

                    w.EndConstructed();
                }

                return TlvFields.End(buffer, w);
            }
            catch (TlvException e)
            {
                throw new AgentMessageException(AgentMessageError.TooLarge, e.Message);
            }
        }

        /// <summary>Decodes a script result.</summary>
        /// <param name="payload">The message bytes.</param>
        /// <returns>The result.</returns>
        /// <exception cref="AgentMessageException">The payload is not a well-formed result.</exception>
        public static ScriptResult DecodeResult(byte[] payload)
        {
            try
            {
                BerTlvReader r;
                TlvFields.Open(payload, 0, payload == null ? 0 : payload.Length, MessageType.Result, out r);
                int count = 0;
                BerTlvReader counting = r;
                while (counting.Read())
                {
                    count += counting.Tag == 0xA0 ? 1 : 0;
                }

                if (count > ScriptMessageCodec.MaxSteps)
                {
                    throw new AgentMessageException(AgentMessageError.TooLarge, "The result holds more steps than the protocol allows.");
                }

                ScriptResult result = new ScriptResult();
                result.Steps = new StepResult[count];
                int seen = 0;
                int step = 0;
                while (r.Read())
                {
                    switch (r.Tag)
                    {
                        case 0x80: seen = TlvFields.Mark(seen, 0x80); result.ScriptId = TlvFields.Bytes(payload, ref r, 0, TlvFields.MaxIdLength); break;
                        case 0x81: seen = TlvFields.Mark(seen, 0x81); result.TenantId = TlvFields.Ident(payload, ref r, TlvFields.MaxIdLength); break;
                        case 0x82: seen = TlvFields.Mark(seen, 0x82); result.Counter = TlvFields.Counter(payload, ref r); break;
                        case 0x83: seen = TlvFields.Mark(seen, 0x83); result.Outcome = Outcome(TlvFields.Number(ref r, 0, (int)ScriptOutcome.StorageFailed)); break;
                        case 0x84: seen = TlvFields.Mark(seen, 0x84); result.Reason = Reason(TlvFields.Number(ref r, 1, (int)RejectReason.NoFreeChannel)); break;
                        case 0x85: seen = TlvFields.Mark(seen, 0x85); result.FailedStep = TlvFields.Number(ref r, 0, int.MaxValue); break;
                        case 0x86: seen = TlvFields.Mark(seen, 0x86); result.StepCount = TlvFields.Number(ref r, 0, int.MaxValue); break;
                        case 0x87: seen = TlvFields.Mark(seen, 0x87); result.SetupSw = Nonzero(TlvFields.Sw(payload, ref r)); break;
                        case 0xA0: result.Steps[step++] = DecodeStepResult(payload, r.OpenValue()); break;
                        default: throw TlvFields.Unknown();
                    }
                }

                TlvFields.Require(seen, 0x80);
                TlvFields.Require(seen, 0x81);
                TlvFields.Require(seen, 0x82);
                TlvFields.Require(seen, 0x83);
                TlvFields.Require(seen, 0x86);
                if ((result.Outcome == ScriptOutcome.Rejected) != (result.Reason != RejectReason.None))
                {
                    throw new AgentMessageException(AgentMessageError.InvalidField, "A reject reason goes with the rejected outcome, and only with it.");
                }

                return result;
            }
            catch (TlvException e)
            {
                throw new AgentMessageException(AgentMessageError.BadTlv, e.Message);
            }
        }

        /// <summary>Encodes a progress report.</summary>
        /// <param name="progress">The progress.</param>
        /// <returns>The message bytes.</returns>
        /// <exception cref="AgentMessageException">A field is missing or out of range.</exception>
        public static byte[] Encode(ScriptProgress progress)
        {
            if (progress == null || progress.StepsDone < 0 || progress.StepCount < 0)
            {
                throw TlvFields.Invalid();
            }

            byte[] buffer = new byte[80];
            BerTlvWriter w = TlvFields.Begin(buffer, MessageType.Progress);
            TlvFields.WriteBytes(w, 0x80, progress.ScriptId, 1, TlvFields.MaxIdLength);
            TlvFields.WriteNumber(w, 0x81, (uint)progress.StepsDone);
            TlvFields.WriteNumber(w, 0x82, (uint)progress.StepCount);
            TlvFields.WriteSw(w, 0x83, progress.LastSw);
            return TlvFields.End(buffer, w);
        }

        /// <summary>Decodes a progress report.</summary>
        /// <param name="payload">The message bytes.</param>
        /// <returns>The progress.</returns>
        /// <exception cref="AgentMessageException">The payload is not a well-formed progress report.</exception>
        public static ScriptProgress DecodeProgress(byte[] payload)
        {
            try
            {
                BerTlvReader r;
                TlvFields.Open(payload, 0, payload == null ? 0 : payload.Length, MessageType.Progress, out r);
                ScriptProgress progress = new ScriptProgress();
                int seen = 0;
                while (r.Read())
                {
                    switch (r.Tag)
                    {
                        case 0x80: seen = TlvFields.Mark(seen, 0x80); progress.ScriptId = TlvFields.Bytes(payload, ref r, 1, TlvFields.MaxIdLength); break;
                        case 0x81: seen = TlvFields.Mark(seen, 0x81); progress.StepsDone = TlvFields.Number(ref r, 0, int.MaxValue); break;
                        case 0x82: seen = TlvFields.Mark(seen, 0x82); progress.StepCount = TlvFields.Number(ref r, 0, int.MaxValue); break;
                        case 0x83: seen = TlvFields.Mark(seen, 0x83); progress.LastSw = TlvFields.Sw(payload, ref r); break;
                        default: throw TlvFields.Unknown();
                    }
                }

                TlvFields.Require(seen, 0x80);
                TlvFields.Require(seen, 0x81);
                TlvFields.Require(seen, 0x82);
                TlvFields.Require(seen, 0x83);
                return progress;
            }
            catch (TlvException e)
            {
                throw new AgentMessageException(AgentMessageError.BadTlv, e.Message);
            }
        }

        /// <summary>Encodes an interactive APDU response.</summary>
        /// <param name="response">The response.</param>
        /// <returns>The message bytes.</returns>
        /// <exception cref="AgentMessageException">A field is missing or out of range.</exception>
        public static byte[] Encode(ApduResponse response)
        {
            if (response == null || response.Sequence < 0 || (response.Response == null) == (response.Reason == RejectReason.None))
            {
                throw TlvFields.Invalid();
            }

            try
            {
                byte[] buffer = new byte[64 + (response.Response == null ? 0 : response.Response.Length)];
                BerTlvWriter w = TlvFields.Begin(buffer, MessageType.ApduResponse);
                TlvFields.WriteBytes(w, 0x80, response.ScriptId, 1, TlvFields.MaxIdLength);
                TlvFields.WriteNumber(w, 0x81, (uint)response.Sequence);
                if (response.Response != null)
                {
                    TlvFields.WriteBytes(w, 0x82, response.Response, 2, TlvFields.MaxMessage - 64);
                }
                else
                {
                    w.WriteByte(0x84, (byte)response.Reason);
                }

                return TlvFields.End(buffer, w);
            }
            catch (TlvException e)
            {
                throw new AgentMessageException(AgentMessageError.TooLarge, e.Message);
            }
        }

        /// <summary>Decodes an interactive APDU response.</summary>
        /// <param name="payload">The message bytes.</param>
        /// <returns>The response.</returns>
        /// <exception cref="AgentMessageException">The payload is not a well-formed APDU response.</exception>
        public static ApduResponse DecodeApduResponse(byte[] payload)
        {
            try
            {
                BerTlvReader r;
                TlvFields.Open(payload, 0, payload == null ? 0 : payload.Length, MessageType.ApduResponse, out r);
                ApduResponse response = new ApduResponse();
                int seen = 0;
                while (r.Read())
                {
                    switch (r.Tag)
                    {
                        case 0x80: seen = TlvFields.Mark(seen, 0x80); response.ScriptId = TlvFields.Bytes(payload, ref r, 1, TlvFields.MaxIdLength); break;
                        case 0x81: seen = TlvFields.Mark(seen, 0x81); response.Sequence = TlvFields.Number(ref r, 0, int.MaxValue); break;
                        case 0x82: seen = TlvFields.Mark(seen, 0x82); response.Response = TlvFields.Bytes(payload, ref r, 2, TlvFields.MaxMessage); break;
                        case 0x84: seen = TlvFields.Mark(seen, 0x84); response.Reason = Reason(TlvFields.Number(ref r, 1, (int)RejectReason.NoFreeChannel)); break;
                        default: throw TlvFields.Unknown();
                    }
                }

                TlvFields.Require(seen, 0x80);
                TlvFields.Require(seen, 0x81);
                if ((response.Response == null) == (response.Reason == RejectReason.None))
                {
                    throw new AgentMessageException(AgentMessageError.InvalidField, "An APDU response carries either a response or a reason.");
                }

                return response;
            }
            catch (TlvException e)
            {
                throw new AgentMessageException(AgentMessageError.BadTlv, e.Message);
            }
        }

        private static StepResult DecodeStepResult(byte[] payload, BerTlvReader r)
        {
            int seen = 0;
            int index = 0;
            int outcome = 0;
            ushort sw = 0;
            byte[] data = null;
            while (r.Read())
            {
                switch (r.Tag)
                {
                    case 0x80: seen = TlvFields.Mark(seen, 0x80); index = TlvFields.Number(ref r, 0, int.MaxValue); break;
                    case 0x81: seen = TlvFields.Mark(seen, 0x81); outcome = TlvFields.Number(ref r, 0, (int)StepOutcome.SentUnknown); break;
                    case 0x82: seen = TlvFields.Mark(seen, 0x82); sw = TlvFields.Sw(payload, ref r); break;
                    case 0x83: seen = TlvFields.Mark(seen, 0x83); data = TlvFields.Bytes(payload, ref r, 0, TlvFields.MaxMessage); break;
                    default: throw TlvFields.Unknown();
                }
            }

            TlvFields.Require(seen, 0x80);
            TlvFields.Require(seen, 0x81);
            StepResult result = new StepResult(index, (StepOutcome)outcome, sw, data);
            if (result.HasSw != ((seen & (1 << 2)) != 0))
            {
                throw new AgentMessageException(AgentMessageError.InvalidField, "A status word goes with an answered step, and only with it.");
            }

            return result;
        }

        // The codes are not contiguous (0x10 is "storage"), so a value inside the range can still be undefined.
        private static ScriptOutcome Outcome(int value)
        {
            if (value > (int)ScriptOutcome.IdleTimeout && value != (int)ScriptOutcome.StorageFailed)
            {
                throw TlvFields.Invalid();
            }

            return (ScriptOutcome)value;
        }

        private static RejectReason Reason(int value)
        {
            if (value > (int)RejectReason.NoFreeChannel)
            {
                throw TlvFields.Invalid();
            }

            return (RejectReason)value;
        }

        private static ushort Nonzero(ushort sw)
        {
            if (sw == 0)
            {
                throw TlvFields.Invalid();
            }

            return sw;
        }
    }
}
