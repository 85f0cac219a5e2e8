using System;
using System.Text;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// The MQTT payloads of attested reads (docs/se05x.md "Attested reads"), BER-TLV in a fixed order:
    /// request <c>73 { 82 sensor, 88 freshness (16) }</c> from the tenant's backend; response <c>74 { 80 device, 81 tenant,
    /// 82 sensor, 88 freshness, 90 status, [91 text], [8A the attested command APDU as sent, 89 the SE's answer without its
    /// status word] }</c>. The SE signed the answer (and on applet 7.x the command), so the agent only carries them; the
    /// backend checks the signature, its freshness and the key. <see cref="TryParse"/> never throws.
    /// </summary>
    public sealed class AttestationEnvelope
    {
        /// <summary>The request template.</summary>
        public const int RequestTemplate = 0x73;

        /// <summary>The response template.</summary>
        public const int ResponseTemplate = 0x74;

        /// <summary>The freshness length the SE takes (TAG_7).</summary>
        public const int FreshnessLength = 16;

        /// <summary>Status: the SE answered '9000' and every I2C operation succeeded.</summary>
        public const byte Attested = 0;

        /// <summary>Status: not a well-formed request.</summary>
        public const byte Malformed = 1;

        /// <summary>Status: the sensor is not an attested sensor of this tenant.</summary>
        public const byte UnknownSensor = 3;

        /// <summary>Status: the SE refused (its status word is in the text) or an I2C operation failed (the answer is carried).</summary>
        public const byte SeError = 7;

        /// <summary>Gets the template of the last parsed envelope.</summary>
        public int Template { get; private set; }

        /// <summary>Gets the device id (responses).</summary>
        public string Device { get; private set; }

        /// <summary>Gets the tenant id (responses).</summary>
        public string Tenant { get; private set; }

        /// <summary>Gets the sensor id.</summary>
        public string Sensor { get; private set; }

        /// <summary>Gets the freshness.</summary>
        public byte[] Freshness { get; private set; }

        /// <summary>Gets the status (responses).</summary>
        public int Status { get; private set; }

        /// <summary>Gets the text (responses), or an empty string.</summary>
        public string Text { get; private set; }

        /// <summary>Gets the attested command APDU (responses), or null.</summary>
        public byte[] Command { get; private set; }

        /// <summary>Gets the SE's answer without its status word (responses), or null.</summary>
        public byte[] Answer { get; private set; }

        /// <summary>Writes a request.</summary>
        /// <param name="sensor">The sensor id.</param>
        /// <param name="freshness">16 random bytes chosen by the verifier.</param>
        /// <returns>The payload.</returns>
        /// <exception cref="ArgumentException">The sensor is not an identifier or the freshness not 16 bytes.</exception>
        public static byte[] WriteRequest(string sensor, byte[] freshness)
        {
            if (!TlvFields.IsIdent(sensor, 64) || freshness == null || freshness.Length != FreshnessLength)
            {
                throw new ArgumentException("An attest request names a sensor and carries 16 bytes of freshness.");
            }

            byte[] buffer = new byte[2 + 2 + sensor.Length + 2 + FreshnessLength];
            var w = new BerTlvWriter(buffer, 0, buffer.Length);
            w.BeginConstructed(RequestTemplate);
            byte[] id = Encoding.UTF8.GetBytes(sensor);
            w.Write(0x82, id, 0, id.Length);
            w.Write(0x88, freshness, 0, FreshnessLength);
            w.EndConstructed();
            return Trim(buffer, w.Finish());
        }

        /// <summary>Writes a response.</summary>
        /// <param name="device">The device id.</param>
        /// <param name="tenant">The tenant id.</param>
        /// <param name="sensor">The sensor id.</param>
        /// <param name="freshness">The request's freshness.</param>
        /// <param name="status">The status.</param>
        /// <param name="text">A short text.</param>
        /// <param name="command">Buffer holding the attested command, or null.</param>
        /// <param name="commandCount">Its length.</param>
        /// <param name="answer">Buffer holding the SE's answer without its status word, or null.</param>
        /// <param name="answerCount">Its length.</param>
        /// <returns>The payload.</returns>
        public static byte[] WriteResponse(
            string device, string tenant, string sensor, byte[] freshness, byte status, string text, byte[] command, int commandCount, byte[] answer, int answerCount)
        {
            byte[] buffer = new byte[64 + 64 + 64 + 32 + 128 + commandCount + answerCount + 16];
            var w = new BerTlvWriter(buffer, 0, buffer.Length);
            w.BeginConstructed(ResponseTemplate);
            WriteText(w, 0x80, device);
            WriteText(w, 0x81, tenant);
            WriteText(w, 0x82, sensor);
            w.Write(0x88, freshness, 0, freshness.Length);
            w.WriteByte(0x90, status);
            if (text != null && text.Length > 0)
            {
                WriteText(w, 0x91, text);
            }

            if (command != null && answer != null)
            {
                w.Write(0x8A, command, 0, commandCount);
                w.Write(0x89, answer, 0, answerCount);
            }

            w.EndConstructed();
            return Trim(buffer, w.Finish());
        }

        /// <summary>Parses a request or a response.</summary>
        /// <param name="payload">The payload.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <returns>True when it is a well-formed envelope.</returns>
        public bool TryParse(byte[] payload, int offset, int count)
        {
            Template = 0;
            Device = null;
            Tenant = null;
            Sensor = null;
            Freshness = null;
            Status = -1;
            Text = string.Empty;
            Command = null;
            Answer = null;
            try
            {
                if (payload == null || offset < 0 || count < 0 || offset > payload.Length - count)
                {
                    return false;
                }

                var outer = new BerTlvReader(payload, offset, count);
                if (!outer.Read() || outer.HasMore || (outer.Tag != RequestTemplate && outer.Tag != ResponseTemplate))
                {
                    return false;
                }

                bool response = outer.Tag == ResponseTemplate;
                BerTlvReader r = new BerTlvReader(payload, outer.ValueOffset, outer.ValueLength);
                if (response && (!Next(ref r, 0x80) || (Device = Ident(payload, r, 64)) == null || !Next(ref r, 0x81) || (Tenant = Ident(payload, r, 32)) == null))
                {
                    return false;
                }

                if (!Next(ref r, 0x82) || (Sensor = Ident(payload, r, 64)) == null || !Next(ref r, 0x88) || r.ValueLength != FreshnessLength)
                {
                    return false;
                }

                Freshness = Copy(payload, r);
                if (!response)
                {
                    Template = RequestTemplate;
                    return !r.Read();
                }

                if (!Next(ref r, 0x90) || r.ValueLength != 1)
                {
                    return false;
                }

                Status = payload[r.ValueOffset];
                bool more = r.Read();
                if (more && r.Tag == 0x91)
                {
                    Text = Encoding.UTF8.GetString(payload, r.ValueOffset, r.ValueLength);
                    more = r.Read();
                }

                if (more)
                {
                    if (r.Tag != 0x8A)
                    {
                        return false;
                    }

                    Command = Copy(payload, r);
                    if (!Next(ref r, 0x89))
                    {
                        return false;
                    }

                    Answer = Copy(payload, r);
                    if (r.Read())
                    {
                        return false;
                    }
                }

                Template = ResponseTemplate;
                return true;
            }
            catch (TlvException)
            {
                return false;
            }
            catch (ArgumentException)
            {
                // Invalid UTF-8 in a text field.
                return false;
            }
        }

        private static bool Next(ref BerTlvReader r, int tag)
        {
            return r.Read() && r.Tag == tag;
        }

        private static string Ident(byte[] payload, BerTlvReader r, int max)
        {
            if (r.ValueLength < 1 || r.ValueLength > max)
            {
                return null;
            }

            string text = Encoding.UTF8.GetString(payload, r.ValueOffset, r.ValueLength);
            return TlvFields.IsIdent(text, max) ? text : null;
        }

        private static byte[] Copy(byte[] payload, BerTlvReader r)
        {
            byte[] value = new byte[r.ValueLength];
            Array.Copy(payload, r.ValueOffset, value, 0, r.ValueLength);
            return value;
        }

        private static void WriteText(BerTlvWriter w, int tag, string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            w.Write(tag, bytes, 0, bytes.Length);
        }

        private static byte[] Trim(byte[] buffer, int length)
        {
            byte[] result = new byte[length];
            Array.Copy(buffer, result, length);
            return result;
        }
    }
}
