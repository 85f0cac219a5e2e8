using System;

namespace NanoAgent.Agent.Tenants
{
    /// <summary>
    /// A stakeholder whose backend manages its own security domain on the SE through the agent. The agent holds no key of
    /// the tenant: only where its SD is and how large its scripts may be. It has no logical channel of its own: each of its
    /// sessions gets a free one from the relay (docs/protocol.md §4.3).
    /// </summary>
    public sealed class Tenant
    {
        /// <summary>The default largest script message, in bytes.</summary>
        public const int DefaultMaxScriptBytes = 16384;

        /// <summary>The smallest script size limit: an authenticated request with one step does not fit in less.</summary>
        public const int MinMaxScriptBytes = 64;

        private readonly byte[] _sdAid;

        /// <summary>Creates a tenant.</summary>
        /// <param name="id">The tenant id (1 to 32 characters of A-Z a-z 0-9 . _ -); it is also a topic level.</param>
        /// <param name="sdAid">The AID of the tenant's security domain (5 to 16 bytes, ISO/IEC 7816-5).</param>
        /// <param name="maxScriptBytes">The largest script request accepted, in bytes of the encoded message (at least
        /// <see cref="MinMaxScriptBytes"/>).</param>
        /// <exception cref="ArgumentException">A value is out of range.</exception>
        public Tenant(string id, byte[] sdAid, int maxScriptBytes)
        {
            if (!IsValidId(id))
            {
                throw new ArgumentException("A tenant id is 1 to 32 characters of A-Z a-z 0-9 . _ -.", "id");
            }

            if (sdAid == null || sdAid.Length < 5 || sdAid.Length > 16)
            {
                throw new ArgumentException("An SD AID is 5 to 16 bytes.", "sdAid");
            }

            if (maxScriptBytes < MinMaxScriptBytes)
            {
                throw new ArgumentException("The script size limit is at least " + MinMaxScriptBytes + " bytes.", "maxScriptBytes");
            }

            Id = id;
            _sdAid = (byte[])sdAid.Clone();
            MaxScriptBytes = maxScriptBytes;
        }

        /// <summary>Creates a tenant from the old form that named a logical channel; the channel is checked and ignored.</summary>
        /// <param name="id">The tenant id.</param>
        /// <param name="sdAid">The AID of the tenant's security domain.</param>
        /// <param name="logicalChannel">The channel of the old form, 0 to 19; ignored (sessions take a free channel).</param>
        /// <param name="maxScriptBytes">The largest script request accepted.</param>
        /// <exception cref="ArgumentException">A value is out of range.</exception>
        public Tenant(string id, byte[] sdAid, int logicalChannel, int maxScriptBytes)
            : this(id, sdAid, maxScriptBytes)
        {
            if (logicalChannel < 0 || logicalChannel > 19)
            {
                throw new ArgumentException("A logical channel is 0 to 19.", "logicalChannel");
            }
        }

        /// <summary>Gets the tenant id.</summary>
        public string Id { get; }

        /// <summary>Gets the largest script request accepted, in bytes.</summary>
        public int MaxScriptBytes { get; }

        /// <summary>Gets the length of the SD AID.</summary>
        public int SdAidLength
        {
            get { return _sdAid.Length; }
        }

        /// <summary>Returns a copy of the SD AID.</summary>
        /// <returns>The AID bytes.</returns>
        public byte[] GetSdAid()
        {
            return (byte[])_sdAid.Clone();
        }

        /// <summary>Returns whether a range of bytes is exactly the tenant's SD AID.</summary>
        /// <param name="buffer">The buffer.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Length.</param>
        /// <returns>True on an exact match.</returns>
        public bool IsOwnSd(byte[] buffer, int offset, int count)
        {
            if (buffer == null || count != _sdAid.Length || offset < 0 || offset > buffer.Length - count)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                if (buffer[offset + i] != _sdAid[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Returns whether a string can be a tenant id.</summary>
        /// <param name="id">The candidate.</param>
        /// <returns>True for 1 to 32 characters of A-Z a-z 0-9 . _ -.</returns>
        public static bool IsValidId(string id)
        {
            return Messages.TlvFields.IsIdent(id, 32);
        }
    }
}
