namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Walks the per-operation results in the TAG_1 value of an I2CM answer, as the middleware reads them
    /// (Se05x_i2c_master_txn): each entry is <c>tag status</c>; a successful read adds a 2-byte length and the bytes read;
    /// tag FF reports a malformed command set. Status 5A is success (kSE05x_I2CM_Success); 01 NACK, 02 write error,
    /// 03 read error, 05 timeout, 11-13 malformed TLV, 21 configuration error (SE05x_I2CM_status_t).
    /// </summary>
    public static class Se05xI2cmResult
    {
        /// <summary>The status byte of a successful operation.</summary>
        public const byte Success = 0x5A;

        /// <summary>Walks the results and finds the data of the last successful read.</summary>
        /// <param name="data">Buffer holding the TAG_1 value.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <param name="readOffset">Where the bytes of the last read start, 0 when none.</param>
        /// <param name="readLength">How many bytes the last read returned (may be fewer than asked), 0 when none.</param>
        /// <returns><see cref="Success"/> when every operation succeeded, else the first failing status byte.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.MalformedResponse"/> when an entry is truncated or unknown.</exception>
        public static byte Walk(byte[] data, int offset, int count, out int readOffset, out int readLength)
        {
            readOffset = 0;
            readLength = 0;
            if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
            {
                throw new Se05xException(Se05xError.MalformedResponse, "The I2CM result lies outside the buffer.");
            }

            int p = offset;
            int end = offset + count;
            while (p < end)
            {
                if (end - p < 2)
                {
                    throw new Se05xException(Se05xError.MalformedResponse, "An I2CM result entry is truncated.");
                }

                byte tag = data[p];
                byte status = data[p + 1];
                p += 2;
                if (tag == Se05xI2cmCommandSet.TagStructuralIssue)
                {
                    return status;
                }

                if (tag != Se05xI2cmCommandSet.TagConfigure && tag != Se05xI2cmCommandSet.TagWrite && tag != Se05xI2cmCommandSet.TagRead)
                {
                    throw new Se05xException(Se05xError.MalformedResponse, "An I2CM result entry has an unknown tag.");
                }

                if (status != Success)
                {
                    return status;
                }

                if (tag == Se05xI2cmCommandSet.TagRead)
                {
                    if (end - p < 2)
                    {
                        throw new Se05xException(Se05xError.MalformedResponse, "An I2CM read result has no length.");
                    }

                    int length = (data[p] << 8) | data[p + 1];
                    p += 2;
                    if (length > end - p)
                    {
                        throw new Se05xException(Se05xError.MalformedResponse, "An I2CM read result is shorter than its length.");
                    }

                    readOffset = p;
                    readLength = length;
                    p += length;
                }
            }

            return Success;
        }
    }
}
