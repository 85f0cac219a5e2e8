namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Writes the list of I2C master micro-operations that I2CM_ExecuteCommandSet carries in its TLV[TAG_1] (AN12413
    /// §4.16 I2C controller; middleware Se05x_i2c_master_txn). These inner TLVs are not BER: the tag is one byte
    /// (01 configure, 03 write, 04 read; SE05x_I2CM_TAG_t) and the length is always two bytes big-endian with no 82
    /// prefix (tlvSet_u8buf_I2CM), so <see cref="NanoAgent.Drivers.Tlv.BerTlvWriter"/> cannot write them and this
    /// tiny writer does. The whole list is at most 271 bytes (SE05X_I2CM_MAX_BUF_SIZE_CMD).
    /// </summary>
    public static class Se05xI2cmCommandSet
    {
        /// <summary>The largest command set the SE takes (SE05X_I2CM_MAX_BUF_SIZE_CMD).</summary>
        public const int MaxLength = 271;

        /// <summary>Tag of a configure operation (kSE05x_TAG_I2CM_Config).</summary>
        public const byte TagConfigure = 0x01;

        /// <summary>Tag of a write operation (kSE05x_TAG_I2CM_Write).</summary>
        public const byte TagWrite = 0x03;

        /// <summary>Tag of a read operation (kSE05x_TAG_I2CM_Read).</summary>
        public const byte TagRead = 0x04;

        /// <summary>Tag the SE answers with when the command set itself is malformed (kSE05x_I2CM_StructuralIssue).</summary>
        public const byte TagStructuralIssue = 0xFF;

        /// <summary>Baud rate code for 100 kHz (kSE05x_I2CM_Baud_Rate_100Khz).</summary>
        public const byte Baud100Khz = 0;

        /// <summary>Baud rate code for 400 kHz (kSE05x_I2CM_Baud_Rate_400Khz).</summary>
        public const byte Baud400Khz = 1;

        /// <summary>Writes a configure operation: <c>01 0002 address baud</c>.</summary>
        /// <param name="address">The sensor's 7-bit I2C address (0x08 to 0x77).</param>
        /// <param name="baud"><see cref="Baud100Khz"/> or <see cref="Baud400Khz"/>.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the tag goes.</param>
        /// <returns>5.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad address, rate or buffer.</exception>
        public static int Configure(int address, byte baud, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(address >= 0x08 && address <= 0x77, "A 7-bit I2C sensor address is 08 to 77.");
            Se05xObjectCommands.Check(baud == Baud100Khz || baud == Baud400Khz, "The baud rate code is 0 (100 kHz) or 1 (400 kHz).");
            Header(TagConfigure, 2, buffer, offset);
            buffer[offset + 3] = (byte)address;
            buffer[offset + 4] = baud;
            return 5;
        }

        /// <summary>Writes a write operation: <c>03 length bytes</c>, for example the register to read next.</summary>
        /// <param name="data">Buffer holding the bytes to send to the sensor.</param>
        /// <param name="dataOffset">First byte.</param>
        /// <param name="dataCount">1 to 255 bytes (the middleware's writeLength is one byte).</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the tag goes.</param>
        /// <returns>3 + <paramref name="dataCount"/>.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad length or buffer.</exception>
        public static int Write(byte[] data, int dataOffset, int dataCount, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(dataCount >= 1 && dataCount <= 255, "An I2CM write carries 1 to 255 bytes.");
            Se05xObjectCommands.Check(data != null && dataOffset >= 0 && dataOffset <= data.Length - dataCount, "The write data lies outside its buffer.");
            Header(TagWrite, dataCount, buffer, offset);
            System.Array.Copy(data, dataOffset, buffer, offset + 3, dataCount);
            return 3 + dataCount;
        }

        /// <summary>Writes a read operation: <c>04 0002 length(2)</c>.</summary>
        /// <param name="length">How many bytes to read from the sensor, 1 to 255.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the tag goes.</param>
        /// <returns>5.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> for a bad length or buffer.</exception>
        public static int Read(int length, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(length >= 1 && length <= 255, "An I2CM read asks for 1 to 255 bytes.");
            Header(TagRead, 2, buffer, offset);
            buffer[offset + 3] = (byte)(length >> 8);
            buffer[offset + 4] = (byte)length;
            return 5;
        }

        private static void Header(byte tag, int length, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(buffer != null && offset >= 0 && offset <= buffer.Length - 3 - length, "The operation does not fit the buffer.");
            buffer[offset] = tag;
            buffer[offset + 1] = (byte)(length >> 8);
            buffer[offset + 2] = (byte)length;
        }
    }
}
