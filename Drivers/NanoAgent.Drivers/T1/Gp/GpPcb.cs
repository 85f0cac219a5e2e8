namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>
    /// Builds and reads protocol control bytes (PCB) of GP T=1' blocks. The coding is ISO/IEC 7816-3 §11.3.2.2
    /// as adopted by GPC_SPE_172 §4.2: I-block <c>0 N(S) M 00000</c>, R-block <c>100 N(R) err</c>, S-block <c>11 resp type</c>.
    /// </summary>
    public static class GpPcb
    {
        /// <summary>The bit that marks an S-block as a response.</summary>
        public const int SResponseBit = 0x20;

        /// <summary>Builds an I-block PCB.</summary>
        /// <param name="sendSequence">N(S), 0 or 1.</param>
        /// <param name="more">Whether more I-blocks of the chain follow (M bit).</param>
        /// <returns>The PCB.</returns>
        public static byte IBlock(int sendSequence, bool more)
        {
            return (byte)(((sendSequence & 1) << 6) | (more ? 0x20 : 0));
        }

        /// <summary>Builds an R-block PCB.</summary>
        /// <param name="receiveSequence">N(R), the N(S) of the I-block expected next.</param>
        /// <param name="error">The error indication.</param>
        /// <returns>The PCB.</returns>
        public static byte RBlock(int receiveSequence, GpRBlockError error)
        {
            return (byte)(0x80 | ((receiveSequence & 1) << 4) | ((int)error & 0x0F));
        }

        /// <summary>Builds an S-block PCB.</summary>
        /// <param name="type">The S-block function.</param>
        /// <param name="response">True for a response, false for a request.</param>
        /// <returns>The PCB.</returns>
        public static byte SBlock(GpSBlockType type, bool response)
        {
            return (byte)(0xC0 | (response ? SResponseBit : 0) | ((int)type & 0x1F));
        }




        /// <summary>Reads N(S) of an I-block.</summary>
        /// <param name="pcb">An I-block PCB.</param>
        /// <returns>0 or 1.</returns>
        public static int SendSequence(byte pcb)
        {
            return (pcb >> 6) & 1;
        }

        /// <summary>Reads the M (more data) bit of an I-block.</summary>
        /// <param name="pcb">An I-block PCB.</param>
        /// <returns>True when more blocks of the chain follow.</returns>
        public static bool HasMore(byte pcb)
        {
            return (pcb & 0x20) != 0;
        }

        /// <summary>Reads N(R) of an R-block.</summary>
        /// <param name="pcb">An R-block PCB.</param>
        /// <returns>0 or 1.</returns>
        public static int ReceiveSequence(byte pcb)
        {
            return (pcb >> 4) & 1;
        }

        /// <summary>Reads the error indication of an R-block.</summary>
        /// <param name="pcb">An R-block PCB.</param>
        /// <returns>The error code (values other than 0-2 are RFU and returned as they are).</returns>
        public static GpRBlockError RError(byte pcb)
        {
            return (GpRBlockError)(pcb & 0x0F);
        }

        /// <summary>Reads the function of an S-block.</summary>
        /// <param name="pcb">An S-block PCB.</param>
        /// <returns>The function (request and response share it).</returns>
        public static GpSBlockType SType(byte pcb)
        {
            return (GpSBlockType)(pcb & 0x1F);
        }

        /// <summary>Tells whether an S-block is a response.</summary>
        /// <param name="pcb">An S-block PCB.</param>
        /// <returns>True for a response.</returns>
        public static bool IsSResponse(byte pcb)
        {
            return (pcb & SResponseBit) != 0;
        }
    }
}
