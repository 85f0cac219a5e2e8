namespace NanoAgent.Drivers.Gp
{
    /// <summary>STORE DATA (GPC v2.3.1 §11.11, INS 'E2'): 80 E2 P1 P2 Lc data, one block of personalisation data.</summary>
    public static class GpStoreData
    {
        /// <summary>P1 b8: this is the last block.</summary>
        public const byte LastBlock = 0x80;

        /// <summary>P1 b5-b4 = '10': the data is BER-TLV.</summary>
        public const byte BerTlv = 0x10;

        /// <summary>P1 b5-b4 = '01': the data is DGI.</summary>
        public const byte Dgi = 0x08;

        /// <summary>Builds one STORE DATA block.</summary>
        /// <param name="p1">Block flags: <see cref="LastBlock"/>, structure (<see cref="BerTlv"/>, <see cref="Dgi"/>) and encryption bits.</param>
        /// <param name="blockNumber">P2: the block number, from 0.</param>
        /// <param name="data">Buffer holding the block data.</param>
        /// <param name="dataOffset">First data byte.</param>
        /// <param name="dataCount">Data length, 1 to 255.</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Apdu.ApduException">The data is empty or too long, or the buffer is too small.</exception>
        public static int Build(byte p1, byte blockNumber, byte[] data, int dataOffset, int dataCount, byte[] apdu, int offset)
        {
            if (data == null || dataCount < 1 || dataOffset < 0 || dataOffset > data.Length - dataCount)
            {
                throw new Apdu.ApduException(Apdu.ApduError.InvalidField, "STORE DATA needs 1 to 255 data bytes.");
            }

            GpApdu.Check(apdu, offset, 5 + dataCount);
            int at = GpApdu.Header(apdu, offset, GpApdu.Cla, 0xE2, p1, blockNumber, dataCount);
            at = GpApdu.Put(apdu, at, data, dataOffset, dataCount);
            return at - offset;
        }
    }
}
