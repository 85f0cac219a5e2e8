namespace NanoAgent.Drivers.Bus
{
    /// <summary>
    /// Moves raw block-protocol bytes over one physical bus. One T=1 engine runs over I2C or SPI through this
    /// (see <see cref="I2cFrameLink"/> and <see cref="SpiFrameLink"/>).
    /// </summary>
    public interface IFrameLink
    {
        /// <summary>Gets a short description of the bus for reports, such as "I2C 0x48".</summary>
        string Description { get; }

        /// <summary>Gets a value indicating whether a device that is not ready answers filler bytes (SPI) rather than a NACK (I2C).</summary>
        bool AnswersFillerWhenBusy { get; }

        /// <summary>Sends bytes in one bus transaction.</summary>
        /// <param name="buffer">Source buffer.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The bus status.</returns>
        BusTransferStatus Send(byte[] buffer, int offset, int count);

        /// <summary>Receives bytes in one bus transaction.</summary>
        /// <param name="buffer">Destination buffer.</param>
        /// <param name="offset">Where the first byte goes.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The bus status.</returns>
        BusTransferStatus Receive(byte[] buffer, int offset, int count);
    }
}
