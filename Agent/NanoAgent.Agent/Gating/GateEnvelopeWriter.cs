using System.Text;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Agent.Gating
{
    /// <summary>Writes the parts of gating envelopes (docs/gating.md §Envelopes): bodies and 8-byte big-endian counters.</summary>
    public static class GateEnvelopeWriter
    {
        private const int TagDevice = 0x80;
        private const int TagTenant = 0x81;
        private const int TagName = 0x82;
        private const int TagUnit = 0x83;
        private const int TagTimestamp = 0x84;
        private const int TagValue = 0x85;

        /// <summary>Writes a body: device, tenant, name, optional unit and timestamp, value.</summary>
        /// <param name="writer">The writer (reset by the caller).</param>
        /// <param name="device">Device id.</param>
        /// <param name="tenant">Tenant id.</param>
        /// <param name="name">Sensor or actuator id.</param>
        /// <param name="reading">The reading (unit, timestamp, value), or null for a command body.</param>
        /// <param name="value">The command bytes when <paramref name="reading"/> is null.</param>
        /// <exception cref="TlvException">The buffer is too small.</exception>
        public static void WriteBody(BerTlvWriter writer, string device, string tenant, string name, Reading reading, byte[] value)
        {
            WriteText(writer, TagDevice, device);
            WriteText(writer, TagTenant, tenant);
            WriteText(writer, TagName, name);
            if (reading != null)
            {
                WriteText(writer, TagUnit, reading.Unit);
                byte[] ts = new byte[8];
                WriteCounter((ulong)reading.Timestamp, ts, 0);
                writer.Write(TagTimestamp, ts, 0, 8);
                value = reading.Value;
            }

            writer.Write(TagValue, value, 0, value == null ? 0 : value.Length);
        }

        /// <summary>Writes a 64-bit big-endian number.</summary>
        /// <param name="value">The number.</param>
        /// <param name="output">Destination.</param>
        /// <param name="offset">Where the first byte goes.</param>
        public static void WriteCounter(ulong value, byte[] output, int offset)
        {
            for (int i = 7; i >= 0; i--)
            {
                output[offset + i] = (byte)value;
                value >>= 8;
            }
        }

        /// <summary>Reads a 64-bit big-endian number.</summary>
        /// <param name="input">Source.</param>
        /// <param name="offset">First byte.</param>
        /// <returns>The number.</returns>
        public static ulong ReadCounter(byte[] input, int offset)
        {
            ulong v = 0;
            for (int i = 0; i < 8; i++)
            {
                v = (v << 8) | input[offset + i];
            }

            return v;
        }

        private static void WriteText(BerTlvWriter writer, int tag, string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text ?? string.Empty);
            writer.Write(tag, bytes, 0, bytes.Length);
        }
    }
}
