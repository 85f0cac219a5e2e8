using System;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Agent.Tenants
{
    /// <summary>
    /// A stakeholder whose backend manages its own security domain on the SE through the agent. The agent holds no key of
    /// the tenant: only where its SD is and how large its scripts may be. It has no logical channel of its own: each of its
    /// sessions gets a free one from the relay (docs/protocol.md §4.3). On an NXP SE05x with its IoT applet only, a tenant is
    /// an AESKey authentication object instead (<see cref="Se05xAuthObject"/>): its "SD" is the IoT applet, and each of its
    /// requests runs in an applet session the agent opens with that object (docs/protocol.md §4.6).
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

        /// <summary>Creates a tenant of an NXP SE05x (IoT applet): its target is the applet, on the basic channel, and its
        /// requests run in an applet session opened with its authentication object.</summary>
        /// <param name="id">The tenant id.</param>
        /// <param name="se05xAuthObject">The tenant's AESKey authentication object, the start of its object block
        /// (<see cref="Se05xTenantLayout.IsValidAuthObject"/>).</param>
        /// <param name="maxScriptBytes">The largest script request accepted, in bytes of the encoded message.</param>
        /// <exception cref="ArgumentException">A value is out of range.</exception>
        public Tenant(string id, uint se05xAuthObject, int maxScriptBytes)
            : this(id, AppletAid(), maxScriptBytes)
        {
            if (!Se05xTenantLayout.IsValidAuthObject(se05xAuthObject))
            {
                throw new ArgumentException("An SE05x tenant's authentication object id is not 0, ends in 00 and lies outside 7FFFxxxx.", "se05xAuthObject");
            }

            Se05xAuthObject = se05xAuthObject;
        }

        /// <summary>Gets the tenant's SE05x authentication object (the start of its object block), or 0 for a GP tenant.</summary>
        public uint Se05xAuthObject { get; }

        /// <summary>Gets a value indicating whether the tenant lives on an SE05x IoT applet (else in a GP security domain).</summary>
        public bool IsSe05x
        {
            get { return Se05xAuthObject != 0; }
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

        /// <summary>Returns the AID of NXP's SE05x IoT applet, the target of every SE05x tenant.</summary>
        /// <returns>A new copy.</returns>
        public static byte[] AppletAid()
        {
            byte[] aid = new byte[Se05xObjectCommands.AidLength];
            Se05xObjectCommands.CopyAid(aid, 0);
            return aid;
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
