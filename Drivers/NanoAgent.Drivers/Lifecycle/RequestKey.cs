namespace NanoAgent.Drivers.Lifecycle
{
    /// <summary>
    /// A tenant's request key (docs/protocol.md §3.9): the AES key its backend MACs relay requests with. It lives in the
    /// tenant's security domain as a key set of version '60'-'6F' (put and deleted like an SCP03 key set, GPC v2.3.1 §11.8,
    /// §11.2.2.3; key identifier 2, Key-MAC, is the request key; the card never opens a secure channel with it), and the
    /// agent asks the SE's request verifier to check a MAC with it (<see cref="InsVerify"/>), so the agent holds no tenant
    /// secret. Portable constants shared by the agent, the virtual SE and the backends.
    /// </summary>
    public static class RequestKey
    {
        /// <summary>The lowest request key version.</summary>
        public const byte FirstKeyVersion = 0x60;

        /// <summary>The highest request key version.</summary>
        public const byte LastKeyVersion = 0x6F;

        /// <summary>The proprietary class byte of VERIFY REQUEST.</summary>
        public const byte Cla = 0x80;

        /// <summary>
        /// VERIFY REQUEST (our proprietary command to the request verifier, streamed like an SE05x CMAC crypto object:
        /// init, update, final). P1 b1 ('01'): first chunk, whose data starts with KVN | L | SD AID; P1 b8 ('80'): last
        /// chunk, whose data ends with the 16-byte MAC; P2 '00'. Answers '9000' (chunk taken; on the last: MAC verified),
        /// '6982' MAC wrong, '6A88' no request key of that version on that SD, '6985' no verification started, '6A80' bad
        /// data, '6A86' bad P1-P2.
        /// </summary>
        public const byte InsVerify = 0x3A;

        /// <summary>P1 bit: first chunk.</summary>
        public const byte First = 0x01;

        /// <summary>P1 bit: last chunk.</summary>
        public const byte Last = 0x80;

        /// <summary>The MAC length: a full AES-CMAC.</summary>
        public const int MacLength = 16;

        private static readonly byte[] VerifierAidBytes = new byte[] { 0xF0, 0x6E, 0x61, 0x6E, 0x6F, 0x52, 0x56, 0x01 };

        /// <summary>Returns the AID of the SE's request verifier: 'F06E616E6F525601' (proprietary 'F0' + "nano" + "RV" + 01).</summary>
        /// <returns>A new copy.</returns>
        public static byte[] VerifierAid()
        {
            return (byte[])VerifierAidBytes.Clone();
        }

        /// <summary>Returns whether a key version is in the range kept for request keys.</summary>
        /// <param name="keyVersion">The key version number.</param>
        /// <returns>True for '60' to '6F'.</returns>
        public static bool IsRequestKeyVersion(int keyVersion)
        {
            return keyVersion >= FirstKeyVersion && keyVersion <= LastKeyVersion;
        }
    }
}
