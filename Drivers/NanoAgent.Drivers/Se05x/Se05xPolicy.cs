namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// Writes object policies for TLV[TAG_POLICY] (AN12413 §3.7 "Policies"; middleware se05x_const.h POLICY_OBJ_*):
    /// a policy set is one or more entries <c>length(1) | auth object id(4) | access rules(4)</c>, the rules a big-endian
    /// bit map. Rules not granted are forbidden for that authentication object.
    /// </summary>
    public static class Se05xPolicy
    {
        /// <summary>The length of one entry without extensions (DEFAULT_OBJECT_POLICY_SIZE 8) plus its length byte.</summary>
        public const int EntryLength = 9;

        /// <summary>POLICY_OBJ_FORBID_ALL.</summary>
        public const uint ForbidAll = 0x20000000;

        /// <summary>POLICY_OBJ_ALLOW_SIGN: signature or MAC generation.</summary>
        public const uint AllowSign = 0x10000000;

        /// <summary>POLICY_OBJ_ALLOW_VERIFY: signature or MAC verification.</summary>
        public const uint AllowVerify = 0x08000000;

        /// <summary>POLICY_OBJ_ALLOW_READ: ReadObject (a public key or a counter value).</summary>
        public const uint AllowRead = 0x00200000;

        /// <summary>POLICY_OBJ_ALLOW_WRITE: overwrite the object (for a counter: increment or set).</summary>
        public const uint AllowWrite = 0x00100000;

        /// <summary>POLICY_OBJ_ALLOW_GEN: regenerate a key pair.</summary>
        public const uint AllowGenerate = 0x00080000;

        /// <summary>POLICY_OBJ_ALLOW_DELETE.</summary>
        public const uint AllowDelete = 0x00040000;

        /// <summary>POLICY_OBJ_REQUIRE_SM: only through an encrypted and MACed session.</summary>
        public const uint RequireSecureMessaging = 0x00020000;

        /// <summary>POLICY_OBJ_ALLOW_ATTESTATION: the key may sign attestations (attested reads, attested I2CM).</summary>
        public const uint AllowAttestation = 0x00008000;

        /// <summary>Writes one policy entry.</summary>
        /// <param name="authObjectId">The authentication object the rules apply to; 0 stands for every session without one
        /// (as in the middleware's examples; check AN12413 §3.7 for your applet version).</param>
        /// <param name="rules">The access rules, or-ed from the constants of this class.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the length byte goes.</param>
        /// <returns><see cref="EntryLength"/>.</returns>
        /// <exception cref="Se05xException"><see cref="Se05xError.InvalidArgument"/> when the buffer is too small.</exception>
        public static int WriteEntry(uint authObjectId, uint rules, byte[] buffer, int offset)
        {
            Se05xObjectCommands.Check(buffer != null && offset >= 0 && offset <= buffer.Length - EntryLength, "The policy does not fit the buffer.");
            buffer[offset] = EntryLength - 1;
            Put(authObjectId, buffer, offset + 1);
            Put(rules, buffer, offset + 5);
            return EntryLength;
        }

        private static void Put(uint value, byte[] buffer, int at)
        {
            buffer[at] = (byte)(value >> 24);
            buffer[at + 1] = (byte)(value >> 16);
            buffer[at + 2] = (byte)(value >> 8);
            buffer[at + 3] = (byte)value;
        }
    }
}
