using System;

namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// The bytes a gate MAC or signature covers (docs/gating.md §MAC input), for backends that check readings and sign
    /// commands: <c>label ("RDG" or "CMD") || len(AID) || AID || counter (8, big-endian) || data</c> for the gate applet, and
    /// <c>counter (8) || label || len(AID) || AID || data</c> on an SE05x, whose gate reads the sequence from the first 8 bytes
    /// (docs/se05x.md "Gated readings").
    /// </summary>
    public static class GateMacInput
    {
        /// <summary>The longest input: label, AID length, 16-byte AID, counter and 255 data bytes.</summary>
        public const int MaxLength = 3 + 1 + 16 + 8 + 255;

        /// <summary>The label of reading MACs.</summary>
        public static readonly byte[] ReadingLabel = new byte[] { 0x52, 0x44, 0x47 };

        /// <summary>The label of command MACs.</summary>
        public static readonly byte[] CommandLabel = new byte[] { 0x43, 0x4D, 0x44 };

        /// <summary>Writes the MAC input in the order of a card's gate.</summary>
        /// <param name="card">The card the gate runs on.</param>
        /// <param name="label"><see cref="ReadingLabel"/> or <see cref="CommandLabel"/>.</param>
        /// <param name="aid">The gate AID (SE05x: the gate label).</param>
        /// <param name="counter">The counter.</param>
        /// <param name="data">Buffer holding the data.</param>
        /// <param name="dataOffset">First data byte.</param>
        /// <param name="dataCount">Data length, at most 255.</param>
        /// <param name="output">Destination.</param>
        /// <param name="outputOffset">Where the first byte goes.</param>
        /// <returns>The number of bytes written.</returns>
        /// <exception cref="ArgumentException">The AID is longer than 16 bytes or the data longer than 255.</exception>
        public static int Build(GateCard card, byte[] label, byte[] aid, ulong counter, byte[] data, int dataOffset, int dataCount, byte[] output, int outputOffset)
        {
            if (card != GateCard.Se05x)
            {
                return Build(label, aid, counter, data, dataOffset, dataCount, output, outputOffset);
            }

            if (aid.Length > 16 || dataCount > 255 || dataCount < 0)
            {
                throw new ArgumentException("A gate MAC input has an AID of at most 16 bytes and at most 255 data bytes.");
            }

            int at = outputOffset;
            GateEnvelopeWriter.WriteCounter(counter, output, at);
            at += 8;
            Array.Copy(label, 0, output, at, label.Length);
            at += label.Length;
            output[at++] = (byte)aid.Length;
            Array.Copy(aid, 0, output, at, aid.Length);
            at += aid.Length;
            Array.Copy(data, dataOffset, output, at, dataCount);
            return at + dataCount - outputOffset;
        }

        /// <summary>Writes the MAC input of the gate applet.</summary>
        /// <param name="label"><see cref="ReadingLabel"/> or <see cref="CommandLabel"/>.</param>
        /// <param name="aid">The gate instance AID.</param>
        /// <param name="counter">The counter.</param>
        /// <param name="data">Buffer holding the data.</param>
        /// <param name="dataOffset">First data byte.</param>
        /// <param name="dataCount">Data length, at most 255.</param>
        /// <param name="output">Destination.</param>
        /// <param name="outputOffset">Where the first byte goes.</param>
        /// <returns>The number of bytes written.</returns>
        /// <exception cref="ArgumentException">The AID is longer than 16 bytes or the data longer than 255.</exception>
        public static int Build(byte[] label, byte[] aid, ulong counter, byte[] data, int dataOffset, int dataCount, byte[] output, int outputOffset)
        {
            if (aid.Length > 16 || dataCount > 255 || dataCount < 0)
            {
                throw new ArgumentException("A gate MAC input has an AID of at most 16 bytes and at most 255 data bytes.");
            }

            int at = outputOffset;
            Array.Copy(label, 0, output, at, label.Length);
            at += label.Length;
            output[at++] = (byte)aid.Length;
            Array.Copy(aid, 0, output, at, aid.Length);
            at += aid.Length;
            GateEnvelopeWriter.WriteCounter(counter, output, at);
            at += 8;
            Array.Copy(data, dataOffset, output, at, dataCount);
            return at + dataCount - outputOffset;
        }
    }
}
