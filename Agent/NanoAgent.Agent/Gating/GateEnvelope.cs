using System;
using System.Text;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// The gated MQTT payloads (docs/gating.md §Envelopes), compact BER-TLV with a fixed order of objects:
    /// reading '70' { body, '86' counter, '8E' MAC, '87' KCV | '9E' signature };
    /// actuate request '71' { body, '86' counter, '8E' MAC }; actuate response '72' { ['86' counter], '90' status, '91' text, ['85' result] }.
    /// Body = '80' device, '81' tenant, '82' sensor or actuator, ['83' unit, '84' timestamp (8)], '85' value or command:
    /// the exact bytes the SE MACs or signs. <see cref="TryParse"/> fills a reusable instance and never throws on bad input.
    /// </summary>
    public sealed class GateEnvelope
    {
        /// <summary>Template tag of a signed reading.</summary>
        public const int ReadingTemplate = 0x70;

        /// <summary>Template tag of an actuate request.</summary>
        public const int RequestTemplate = 0x71;

        /// <summary>Template tag of an actuate response.</summary>
        public const int ResponseTemplate = 0x72;

        private const int TagDevice = 0x80;
        private const int TagTenant = 0x81;
        private const int TagName = 0x82;
        private const int TagUnit = 0x83;
        private const int TagTimestamp = 0x84;
        private const int TagValue = 0x85;
        private const int TagCounter = 0x86;
        private const int TagKcv = 0x87;
        private const int TagMac = 0x8E;
        private const int TagSignature = 0x9E;
        private const int TagStatus = 0x90;
        private const int TagText = 0x91;

        /// <summary>Gets the template tag of the last parsed envelope.</summary>
        public int Template { get; private set; }

        /// <summary>Gets the device id.</summary>
        public string Device { get; private set; }

        /// <summary>Gets the tenant id.</summary>
        public string Tenant { get; private set; }

        /// <summary>Gets the sensor or actuator id.</summary>
        public string Name { get; private set; }

        /// <summary>Gets the unit (readings).</summary>
        public string Unit { get; private set; }

        /// <summary>Gets the timestamp in milliseconds since 1970-01-01 UTC (readings).</summary>
        public long Timestamp { get; private set; }

        /// <summary>Gets the reading value, command bytes or response result.</summary>
        public byte[] Value { get; private set; }

        /// <summary>Gets where the body starts in the parsed buffer.</summary>
        public int BodyOffset { get; private set; }

        /// <summary>Gets the body length.</summary>
        public int BodyLength { get; private set; }

        /// <summary>Gets a value indicating whether a counter was present.</summary>
        public bool HasCounter { get; private set; }

        /// <summary>Gets the counter.</summary>
        public ulong Counter { get; private set; }

        /// <summary>Gets the 16-byte MAC, or null.</summary>
        public byte[] Mac { get; private set; }

        /// <summary>Gets the 3-byte key check value of the MAC key, or null.</summary>
        public byte[] Kcv { get; private set; }

        /// <summary>Gets the 64-byte ECDSA signature r || s, or null.</summary>
        public byte[] Signature { get; private set; }

        /// <summary>Gets the status code of a response (<see cref="ActuationStatus"/>).</summary>
        public int Status { get; private set; }

        /// <summary>Gets the text of a response.</summary>
        public string Text { get; private set; }

        /// <summary>Parses a reading, request or response; on false the fields are unspecified.</summary>
        /// <param name="buffer">The payload.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <returns>True when the payload is a well-formed envelope.</returns>
        public bool TryParse(byte[] buffer, int offset, int count)
        {
            Clear();
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                return false;
            }

            try
            {
                var outer = new BerTlvReader(buffer, offset, count);
                if (!outer.Read() || outer.HasMore)
                {
                    return false;
                }

                Template = outer.Tag;
                BerTlvReader r = outer.OpenValue();
                if (Template == ResponseTemplate)
                {
                    return ParseResponse(r, buffer);
                }

                if (Template != ReadingTemplate && Template != RequestTemplate)
                {
                    return false;
                }

                return ParseSigned(r, buffer);
            }
            catch (TlvException)
            {
                return false;
            }
        }

        private static bool Next(ref BerTlvReader r, int tag)
        {
            return r.Read() && r.Tag == tag;
        }

        private static byte[] Copy(byte[] buffer, BerTlvReader r)
        {
            byte[] v = new byte[r.ValueLength];
            Array.Copy(buffer, r.ValueOffset, v, 0, v.Length);
            return v;
        }

        private static string Text8(byte[] buffer, BerTlvReader r)
        {
            return Encoding.UTF8.GetString(buffer, r.ValueOffset, r.ValueLength);
        }

        private bool ParseSigned(BerTlvReader r, byte[] buffer)
        {
            bool reading = Template == ReadingTemplate;
            if (!Next(ref r, TagDevice))
            {
                return false;
            }

            BodyOffset = r.Offset;
            Device = Text8(buffer, r);
            if (!Next(ref r, TagTenant))
            {
                return false;
            }

            Tenant = Text8(buffer, r);
            if (!Next(ref r, TagName))
            {
                return false;
            }

            Name = Text8(buffer, r);
            if (reading)
            {
                if (!Next(ref r, TagUnit))
                {
                    return false;
                }

                Unit = Text8(buffer, r);
                if (!Next(ref r, TagTimestamp) || r.ValueLength != 8)
                {
                    return false;
                }

                Timestamp = (long)GateEnvelopeWriter.ReadCounter(buffer, r.ValueOffset);
            }

            if (!Next(ref r, TagValue))
            {
                return false;
            }

            Value = Copy(buffer, r);
            BodyLength = r.ValueOffset + r.ValueLength - BodyOffset;
            if (!Next(ref r, TagCounter) || r.ValueLength != 8)
            {
                return false;
            }

            HasCounter = true;
            Counter = GateEnvelopeWriter.ReadCounter(buffer, r.ValueOffset);
            if (!r.Read())
            {
                return false;
            }

            if (r.Tag == TagSignature && reading && r.ValueLength == 64)
            {
                Signature = Copy(buffer, r);
                return !r.HasMore;
            }

            if (r.Tag != TagMac || r.ValueLength != 16)
            {
                return false;
            }

            Mac = Copy(buffer, r);
            if (!reading)
            {
                return !r.HasMore;
            }

            if (!Next(ref r, TagKcv) || r.ValueLength != 3)
            {
                return false;
            }

            Kcv = Copy(buffer, r);
            return !r.HasMore;
        }

        private bool ParseResponse(BerTlvReader r, byte[] buffer)
        {
            if (!r.Read())
            {
                return false;
            }

            if (r.Tag == TagCounter)
            {
                if (r.ValueLength != 8)
                {
                    return false;
                }

                HasCounter = true;
                Counter = GateEnvelopeWriter.ReadCounter(buffer, r.ValueOffset);
                if (!r.Read())
                {
                    return false;
                }
            }

            if (r.Tag != TagStatus || r.ValueLength != 1)
            {
                return false;
            }

            Status = buffer[r.ValueOffset];
            if (!Next(ref r, TagText))
            {
                return false;
            }

            Text = Text8(buffer, r);
            if (r.HasMore)
            {
                if (!Next(ref r, TagValue) || r.HasMore)
                {
                    return false;
                }

                Value = Copy(buffer, r);
            }

            return true;
        }

        private void Clear()
        {
            Template = 0;
            Device = Tenant = Name = Unit = Text = null;
            Timestamp = 0;
            Value = Mac = Kcv = Signature = null;
            BodyOffset = BodyLength = Status = 0;
            HasCounter = false;
            Counter = 0;
        }
    }
}
