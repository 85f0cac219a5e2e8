using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Messages
{
    /// <summary>
    /// Encodes and decodes the messages a backend sends to the agent: script requests (E1) and interactive APDU
    /// requests (E2). Layout in docs/protocol.md §3. Decoding is strict: anything malformed throws
    /// <see cref="AgentMessageException"/>, and nothing else.
    /// </summary>
    public static class ScriptMessageCodec
    {
        /// <summary>The most steps one script may hold.</summary>
        public const int MaxSteps = 1024;

        /// <summary>The version byte every message starts with.</summary>
        public const byte Version = TlvFields.Version;

        /// <summary>Returns the message type of a payload without decoding it.</summary>
        /// <param name="payload">The payload.</param>
        /// <returns>The type, or 0 when the payload is too short, of another version or of an unknown type.</returns>
        public static MessageType PeekType(byte[] payload)
        {
            if (payload == null || payload.Length < 2 || payload[0] != Version)
            {
                return 0;
            }

            int tag = payload[1];
            return tag >= (int)MessageType.ScriptRequest && tag <= (int)MessageType.Status ? (MessageType)tag : 0;
        }

        /// <summary>Decodes a script request.</summary>
        /// <param name="payload">The message bytes.</param>
        /// <returns>The request, with <see cref="ScriptRequest.EncodedLength"/> set.</returns>
        /// <exception cref="AgentMessageException">The payload is not a well-formed script request.</exception>
        public static ScriptRequest DecodeScriptRequest(byte[] payload)
        {
            try
            {
                BerTlvReader r;
                TlvFields.Open(payload, 0, payload == null ? 0 : payload.Length, MessageType.ScriptRequest, out r);
                ScriptRequest request = new ScriptRequest();
                request.EncodedLength = payload.Length;
                request.Payload = payload;
                int seen = 0;
                int steps = 0;
                BerTlvReader counting = r;
                while (counting.Read())
                {
                    steps += counting.Tag == 0xA0 ? 1 : 0;
                }

                if (steps > MaxSteps)
                {
                    throw new AgentMessageException(AgentMessageError.TooLarge, "The script holds more steps than the protocol allows.");
                }

                request.Steps = new ScriptStep[steps];
                int step = 0;
                while (r.Read())
                {
                    switch (r.Tag)
                    {
                        case 0x80: seen = TlvFields.Mark(seen, 0x80); request.ScriptId = TlvFields.Bytes(payload, ref r, 1, TlvFields.MaxIdLength); break;
                        case 0x81: seen = TlvFields.Mark(seen, 0x81); request.TenantId = TlvFields.Ident(payload, ref r, TlvFields.MaxIdLength); break;
                        case 0x82: seen = TlvFields.Mark(seen, 0x82); request.Counter = TlvFields.Counter(payload, ref r); break;
                        case 0x83: seen = TlvFields.Mark(seen, 0x83); request.TargetAid = TlvFields.Bytes(payload, ref r, 5, 16); break;
                        case 0x84: seen = TlvFields.Mark(seen, 0x84); request.Mode = (ScriptMode)TlvFields.Number(ref r, 0, 1); break;
                        case 0x85: seen = TlvFields.Mark(seen, 0x85); request.ProgressEvery = TlvFields.Number(ref r, 1, MaxSteps); break;
                        case 0x87: seen = TlvFields.Mark(seen, 0x87); request.ResetAuthGuard = TlvFields.Number(ref r, 1, 1) == 1; break;
                        case 0x88: seen = TlvFields.Mark(seen, 0x88); request.ResetAuthGuardOf = TlvFields.Ident(payload, ref r, TlvFields.MaxIdLength); break;
                        case 0xA0: request.Steps[step++] = DecodeStep(payload, r.OpenValue()); break;
                        case 0x86: seen = TlvFields.Mark(seen, 0x86); request.Authenticator = ReadAuthenticator(payload, ref r, out int signed); request.SignedLength = signed; break;
                        default: throw TlvFields.Unknown();
                    }
                }

                TlvFields.Require(seen, 0x80);
                TlvFields.Require(seen, 0x81);
                TlvFields.Require(seen, 0x82);
                TlvFields.Require(seen, 0x83);
                if ((request.Mode == ScriptMode.Batch) != (steps > 0))
                {
                    throw new AgentMessageException(AgentMessageError.InvalidField, "A batch script needs steps; an interactive request has none.");
                }

                return request;
            }
            catch (TlvException e)
            {
                throw new AgentMessageException(AgentMessageError.BadTlv, e.Message);
            }
        }

        /// <summary>Encodes a script request.</summary>
        /// <param name="request">The request.</param>
        /// <returns>The message bytes.</returns>
        /// <exception cref="AgentMessageException">A field is missing or out of range, or the message is too large.</exception>
        public static byte[] Encode(ScriptRequest request)
        {
            if (request == null || request.Steps == null || request.Steps.Length > MaxSteps)
            {
                throw TlvFields.Invalid();
            }

            int bound = 192;
            for (int i = 0; i < request.Steps.Length; i++)
            {
                ScriptStep s = request.Steps[i];
                if (s == null || s.Command == null)
                {
                    throw TlvFields.Invalid();
                }

                bound += 32 + s.Command.Length;
            }

            try
            {
                byte[] buffer = new byte[bound];
                BerTlvWriter w = TlvFields.Begin(buffer, MessageType.ScriptRequest);
                TlvFields.WriteBytes(w, 0x80, request.ScriptId, 1, TlvFields.MaxIdLength);
                TlvFields.WriteIdent(w, 0x81, request.TenantId, TlvFields.MaxIdLength);
                TlvFields.WriteCounter(w, 0x82, request.Counter);
                TlvFields.WriteBytes(w, 0x83, request.TargetAid, 5, 16);
                if (request.Mode != ScriptMode.Batch)
                {
                    w.WriteByte(0x84, (byte)request.Mode);
                }

                if (request.ProgressEvery != 0)
                {
                    CheckRange(request.ProgressEvery, 1, MaxSteps);
                    TlvFields.WriteNumber(w, 0x85, (uint)request.ProgressEvery);
                }

                if (request.ResetAuthGuard)
                {
                    w.WriteByte(0x87, 1);
                }

                if (request.ResetAuthGuardOf != null)
                {
                    TlvFields.WriteIdent(w, 0x88, request.ResetAuthGuardOf, TlvFields.MaxIdLength);
                }

                for (int i = 0; i < request.Steps.Length; i++)
                {
                    ScriptStep s = request.Steps[i];
                    w.BeginConstructed(0xA0);
                    WriteApdu(w, 0x80, s.Command);
                    TlvFields.WriteSw(w, 0x81, s.ExpectedSw);
                    if (s.SwMask != 0xFFFF)
                    {
                        TlvFields.WriteSw(w, 0x82, s.SwMask);
                    }

                    int flags = (s.ContinueOnFail ? 1 : 0) | (s.ReturnData ? 2 : 0);
                    if (flags != 0)
                    {
                        w.WriteByte(0x83, (byte)flags);
                    }

                    w.EndConstructed();
                }

                WriteAuthenticator(w, 0x86, request.Authenticator);
                return TlvFields.End(buffer, w);
            }
            catch (TlvException e)
            {
                throw new AgentMessageException(AgentMessageError.TooLarge, e.Message);
            }
        }

        /// <summary>Decodes an interactive APDU request.</summary>
        /// <param name="payload">The message bytes.</param>
        /// <returns>The request.</returns>
        /// <exception cref="AgentMessageException">The payload is not a well-formed APDU request.</exception>
        public static ApduRequest DecodeApduRequest(byte[] payload)
        {
            try
            {
                BerTlvReader r;
                TlvFields.Open(payload, 0, payload == null ? 0 : payload.Length, MessageType.ApduRequest, out r);
                ApduRequest request = new ApduRequest();
                request.Payload = payload;
                int seen = 0;
                while (r.Read())
                {
                    switch (r.Tag)
                    {
                        case 0x80: seen = TlvFields.Mark(seen, 0x80); request.ScriptId = TlvFields.Bytes(payload, ref r, 1, TlvFields.MaxIdLength); break;
                        case 0x81: seen = TlvFields.Mark(seen, 0x81); request.Sequence = TlvFields.Number(ref r, 1, int.MaxValue); break;
                        case 0x82: seen = TlvFields.Mark(seen, 0x82); request.Command = ReadApdu(payload, ref r); break;
                        case 0x83: seen = TlvFields.Mark(seen, 0x83); request.End = TlvFields.Number(ref r, 0, 1) == 1; break;
                        case 0x84: seen = TlvFields.Mark(seen, 0x84); request.Authenticator = ReadAuthenticator(payload, ref r, out int signed); request.SignedLength = signed; break;
                        default: throw TlvFields.Unknown();
                    }
                }

                TlvFields.Require(seen, 0x80);
                TlvFields.Require(seen, 0x81);
                if (request.Command == null && !request.End)
                {
                    throw new AgentMessageException(AgentMessageError.MissingField, "An APDU request carries an APDU, an end flag or both.");
                }

                return request;
            }
            catch (TlvException e)
            {
                throw new AgentMessageException(AgentMessageError.BadTlv, e.Message);
            }
        }

        /// <summary>Encodes an interactive APDU request.</summary>
        /// <param name="request">The request.</param>
        /// <returns>The message bytes.</returns>
        /// <exception cref="AgentMessageException">A field is missing or out of range.</exception>
        public static byte[] Encode(ApduRequest request)
        {
            if (request == null || (request.Command == null && !request.End))
            {
                throw TlvFields.Invalid();
            }

            CheckRange(request.Sequence, 1, int.MaxValue);
            try
            {
                byte[] buffer = new byte[96 + (request.Command == null ? 0 : request.Command.Length)];
                BerTlvWriter w = TlvFields.Begin(buffer, MessageType.ApduRequest);
                TlvFields.WriteBytes(w, 0x80, request.ScriptId, 1, TlvFields.MaxIdLength);
                TlvFields.WriteNumber(w, 0x81, (uint)request.Sequence);
                if (request.Command != null)
                {
                    WriteApdu(w, 0x82, request.Command);
                }

                if (request.End)
                {
                    w.WriteByte(0x83, 1);
                }

                WriteAuthenticator(w, 0x84, request.Authenticator);
                return TlvFields.End(buffer, w);
            }
            catch (TlvException e)
            {
                throw new AgentMessageException(AgentMessageError.TooLarge, e.Message);
            }
        }

        private static ScriptStep DecodeStep(byte[] payload, BerTlvReader r)
        {
            int seen = 0;
            byte[] command = null;
            ushort expected = 0;
            ushort mask = 0xFFFF;
            int flags = 0;
            while (r.Read())
            {
                switch (r.Tag)
                {
                    case 0x80: seen = TlvFields.Mark(seen, 0x80); command = ReadApdu(payload, ref r); break;
                    case 0x81: seen = TlvFields.Mark(seen, 0x81); expected = TlvFields.Sw(payload, ref r); break;
                    case 0x82: seen = TlvFields.Mark(seen, 0x82); mask = TlvFields.Sw(payload, ref r); break;
                    case 0x83: seen = TlvFields.Mark(seen, 0x83); flags = TlvFields.Number(ref r, 0, 3); break;
                    default: throw TlvFields.Unknown();
                }
            }

            TlvFields.Require(seen, 0x80);
            TlvFields.Require(seen, 0x81);
            return new ScriptStep(command, expected, mask, (flags & 1) != 0, (flags & 2) != 0);
        }

        // A step's APDU must parse as one ISO/IEC 7816-4 §5.1 command (cases 1 to 4, short or extended).
        private static byte[] ReadApdu(byte[] payload, ref BerTlvReader r)
        {
            CommandApduView view;
            if (CommandApduView.TryParse(payload, r.ValueOffset, r.ValueLength, out view) != 0)
            {
                throw new AgentMessageException(AgentMessageError.InvalidField, "A command APDU is malformed.");
            }

            return TlvFields.Bytes(payload, ref r, 4, r.ValueLength);
        }

        private static void WriteApdu(BerTlvWriter w, int tag, byte[] command)
        {
            CommandApduView view;
            if (command == null || CommandApduView.TryParse(command, 0, command.Length, out view) != 0)
            {
                throw TlvFields.Invalid();
            }

            w.Write(tag, command, 0, command.Length);
        }

        // docs/protocol.md §3.9: the authenticator is the last field; it covers every byte before its own tag. A short one
        // is kept (the relay refuses it as not authenticated, a clearer reason than malformed).
        private static byte[] ReadAuthenticator(byte[] payload, ref BerTlvReader r, out int signedLength)
        {
            if (r.HasMore)
            {
                throw new AgentMessageException(AgentMessageError.InvalidField, "The authenticator must be the last field.");
            }

            byte[] value = TlvFields.Bytes(payload, ref r, 1, RequestMac.AuthenticatorLength);

            // Tag (1 byte) and a short-form length (1 byte) precede a value of at most 17 bytes.
            signedLength = r.ValueOffset - 2;
            return value;
        }

        private static void WriteAuthenticator(BerTlvWriter w, int tag, byte[] authenticator)
        {
            if (authenticator != null)
            {
                TlvFields.WriteBytes(w, tag, authenticator, 1, RequestMac.AuthenticatorLength);
            }
        }

        private static void CheckRange(int value, int min, int max)
        {
            if (value < min || value > max)
            {
                throw TlvFields.Invalid();
            }
        }
    }
}
