using System;

namespace NanoAgent.Drivers.Lifecycle
{
    /// <summary>
    /// Delegated management receipts (GPC v2.3.1 Annex C.5, confirmation structure §11.1.6): after a delegated INSTALL or
    /// DELETE the SE answers <c>L receipt | receipt | L confirmation data | confirmation data</c> with confirmation data
    /// = <c>L counter | confirmation counter (2) | L card unique data | card unique data</c>, and the receipt is an AES-CMAC
    /// (16 bytes, the SCP03 form of GP's symmetric receipt) under the domain owner's receipt key over:
    /// <list type="bullet">
    /// <item>install (C.5.2): L counter | counter | L card unique data | card unique data | L load file AID | load file AID |
    /// L instance AID | instance AID;</item>
    /// <item>delete (C.5.4): L counter | counter | L card unique data | card unique data | L AID | AID.</item>
    /// </list>
    /// Card unique data is IIN | CIN of the card (our reading of "card unique data"). Portable layout only; the CMAC is
    /// computed with <see cref="Crypto.AesCmac"/> by whoever holds the receipt key.
    /// </summary>
    public static class DelegatedReceipt
    {
        /// <summary>The receipt length: a full AES-CMAC.</summary>
        public const int ReceiptLength = 16;

        /// <summary>The key version the receipt key set has in a security domain (ENC key = receipt key; our convention).</summary>
        public const byte ReceiptKeyVersion = 0x71;

        /// <summary>The STORE DATA tag holding a domain's token verification key, an uncompressed P-256 point (65 bytes).</summary>
        public const int TokenKeyTag = 0xDF7A;

        /// <summary>The STORE DATA tag holding a domain's 2-byte confirmation counter (written by the SE).</summary>
        public const int CounterTag = 0xDF7B;

        /// <summary>Builds the data a receipt MACs.</summary>
        /// <param name="counter">The confirmation counter (0 to 65535).</param>
        /// <param name="cardUniqueData">IIN | CIN.</param>
        /// <param name="firstAid">Install: the load file AID; delete: the deleted AID.</param>
        /// <param name="secondAid">Install: the instance AID; delete: null.</param>
        /// <param name="output">Buffer receiving the data.</param>
        /// <param name="offset">Where it goes.</param>
        /// <returns>The length.</returns>
        /// <exception cref="ArgumentException">A field is missing or the buffer is too small.</exception>
        public static int MacInput(int counter, byte[] cardUniqueData, byte[] firstAid, byte[] secondAid, byte[] output, int offset)
        {
            if (cardUniqueData == null || firstAid == null || output == null || counter < 0 || counter > 0xFFFF)
            {
                throw new ArgumentException("Counter, card unique data and an AID are required.");
            }

            int length = 3 + 1 + cardUniqueData.Length + 1 + firstAid.Length + (secondAid == null ? 0 : 1 + secondAid.Length);
            if (offset < 0 || offset > output.Length - length)
            {
                throw new ArgumentException("The buffer is too small.", "output");
            }

            int at = offset;
            output[at++] = 2;
            output[at++] = (byte)(counter >> 8);
            output[at++] = (byte)counter;
            at = PutLv(output, at, cardUniqueData);
            at = PutLv(output, at, firstAid);
            if (secondAid != null)
            {
                at = PutLv(output, at, secondAid);
            }

            return at - offset;
        }

        /// <summary>Finds the receipt and the confirmation counter in a delegated command's response data.</summary>
        /// <param name="response">The response data (no status word).</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <param name="receiptOffset">Where the 16 receipt bytes start.</param>
        /// <param name="counter">The confirmation counter.</param>
        /// <param name="cardUniqueOffset">Where the card unique data starts.</param>
        /// <param name="cardUniqueLength">Its length.</param>
        /// <returns>True when the structure is well formed.</returns>
        public static bool TryParse(
            byte[] response, int offset, int count, out int receiptOffset, out int counter, out int cardUniqueOffset, out int cardUniqueLength)
        {
            receiptOffset = counter = cardUniqueOffset = cardUniqueLength = 0;
            if (response == null || offset < 0 || count < 0 || offset > response.Length - count)
            {
                return false;
            }

            int end = offset + count;
            int at = offset;
            if (count < 1 + ReceiptLength + 1 + 3 + 1 || response[at] != ReceiptLength)
            {
                return false;
            }

            receiptOffset = at + 1;
            at += 1 + ReceiptLength;
            int confirmation = response[at++];
            if (confirmation != end - at || response[at] != 2)
            {
                return false;
            }

            counter = (response[at + 1] << 8) | response[at + 2];
            at += 3;
            cardUniqueLength = response[at++];
            cardUniqueOffset = at;
            return cardUniqueLength == end - at;
        }

        private static int PutLv(byte[] output, int at, byte[] value)
        {
            output[at++] = (byte)value.Length;
            Array.Copy(value, 0, output, at, value.Length);
            return at + value.Length;
        }
    }
}
