namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// A tenant's gate in the secure element: signs readings under a monotonic counter and verifies commands MAC'd by the
    /// tenant's backend (docs/gating.md). <see cref="GateAppletClient"/> talks to the nanoAgent gate applet; an SE05x
    /// implementation can sit behind the same interface. Outcomes are status words; a broken link throws the transport's
    /// exception (<see cref="Drivers.Apdu.ApduException"/> or the block-protocol exception).
    /// </summary>
    public interface IReadingGate
    {
        /// <summary>Gets a value indicating whether readings are signed with ECDSA P-256 (else AES-CMAC).</summary>
        bool UsesSignature { get; }

        /// <summary>Asks the SE to sign a reading with the next counter value.</summary>
        /// <param name="reading">Buffer holding the bytes to sign (the envelope body).</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes, 1 to 200.</param>
        /// <param name="output">Receives counter (8, big-endian) || MAC (16) || KCV (3), or counter (8) || r || s (64).</param>
        /// <param name="outputOffset">Where the first byte goes (91 bytes of room needed).</param>
        /// <param name="written">The number of bytes written (0 unless '9000').</param>
        /// <returns>The status word: '9000', '6A88' when not keyed, '6581' when the counter could not be saved, …</returns>
        ushort SignReading(byte[] reading, int offset, int count, byte[] output, int outputOffset, out int written);

        /// <summary>Asks the SE to verify a command: MAC under the gate key and a counter above the last accepted one.</summary>
        /// <param name="data">Buffer holding counter (8) || payload || MAC (16).</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes, 24 to 224.</param>
        /// <returns>'9000' accepted (counter saved), '6982' bad MAC, '6985' replayed or old counter, '6A88' not keyed, …</returns>
        ushort VerifyCommand(byte[] data, int offset, int count);
    }
}
