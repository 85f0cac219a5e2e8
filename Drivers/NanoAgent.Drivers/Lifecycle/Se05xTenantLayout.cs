namespace NanoAgent.Drivers.Lifecycle
{
    /// <summary>
    /// Where a tenant's secure objects live on an NXP SE05x with its IoT applet only (docs/se05x.md, "Tenant objects"): a
    /// block of 256 object ids that starts at the tenant's AESKey authentication object. The agent, the owner's onboarding and
    /// the backends all derive ids from the block, so a tenant line names only its authentication object. The ids are ours
    /// (NXP reserves '7FFF0000'-'7FFFFFFF' for the applet, se05x_const.h); the SE does not reserve the block for the tenant:
    /// the objects' policies (only the tenant's authentication object may write or delete them) are what isolates tenants.
    /// </summary>
    public static class Se05xTenantLayout
    {
        /// <summary>The offset of the tenant's AESKey authentication object (its applet-level SCP03 key).</summary>
        public const uint AuthObject = 0x00;

        /// <summary>The offset of the gate's reading MAC key (AES-128, SIGN for the agent's default session).</summary>
        public const uint ReadingKey = 0x01;

        /// <summary>The offset of the gate's command MAC key (AES-128, VERIFY for the agent's default session).</summary>
        public const uint CommandKey = 0x02;

        /// <summary>The offset of the reading epoch counter (4 bytes, raised once each time the agent starts counting readings).</summary>
        public const uint ReadingEpoch = 0x03;

        /// <summary>The offset of the last accepted command counter (8 bytes).</summary>
        public const uint CommandCounter = 0x04;

        /// <summary>The offset of the attestation key pair (EC P-256) for attested reads through the SE's I2C controller.</summary>
        public const uint AttestationKey = 0x05;

        /// <summary>The first offset free for the tenant's own objects.</summary>
        public const uint FirstFree = 0x10;

        /// <summary>The last offset free for the tenant's own objects (below the request keys).</summary>
        public const uint LastFree = 0x5F;

        /// <summary>The 2-byte crypto object the agent streams long request MACs through (one for the SE, not per tenant).</summary>
        public const int RequestCryptoObject = 0x6E52;

        /// <summary>Returns whether an id can start a tenant's block: not 0, low byte 00, outside NXP's reserved range.</summary>
        /// <param name="authObjectId">The candidate authentication object id.</param>
        /// <returns>True when it can.</returns>
        public static bool IsValidAuthObject(uint authObjectId)
        {
            return authObjectId != 0 && (authObjectId & 0xFF) == 0 && (authObjectId >> 16) != 0x7FFF;
        }

        /// <summary>Returns the id of one of the tenant's objects.</summary>
        /// <param name="authObjectId">The tenant's authentication object (the block's start).</param>
        /// <param name="offset">One of the offsets of this class, or a free one.</param>
        /// <returns>The object id.</returns>
        public static uint Object(uint authObjectId, uint offset)
        {
            return authObjectId | (offset & 0xFF);
        }

        /// <summary>Returns the id of a request key object: the block's start plus the key version ('60'-'6F').</summary>
        /// <param name="authObjectId">The tenant's authentication object.</param>
        /// <param name="keyVersion">The request key version (docs/protocol.md §3.9).</param>
        /// <returns>The object id.</returns>
        public static uint RequestKey(uint authObjectId, byte keyVersion)
        {
            return authObjectId | keyVersion;
        }

        /// <summary>Returns whether an object id lies in a tenant's block.</summary>
        /// <param name="authObjectId">The tenant's authentication object.</param>
        /// <param name="objectId">The object id.</param>
        /// <returns>True when the id is one of the block's 256.</returns>
        public static bool InBlock(uint authObjectId, uint objectId)
        {
            return (objectId & 0xFFFFFF00) == authObjectId;
        }
    }
}
