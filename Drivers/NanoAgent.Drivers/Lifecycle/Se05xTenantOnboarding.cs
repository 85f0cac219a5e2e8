using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Drivers.Lifecycle
{
    /// <summary>
    /// The commands that give a tenant its place on an NXP SE05x with its IoT applet only (docs/lifecycle.md §5,
    /// docs/se05x.md "Tenant objects"), the SE05x counterpart of <see cref="TenantOnboarding"/>: the owner creates the
    /// tenant's AESKey authentication object and its first request key object in the owner's own applet session (the keys
    /// travel under its C-DECRYPTION), the tenant rotates both and creates its gate objects in its own session. Every
    /// object carries a policy (AN12413 §3.7) in which only the tenant's authentication object may write or delete and the
    /// applet's default session (the agent) gets the one right its job needs; the owner keeps no right on what it created.
    /// Each method writes one plain command APDU (to be wrapped by the session's SCP03) into the caller's buffer and returns
    /// its length. Nothing is allocated after construction.
    /// </summary>
    public sealed class Se05xTenantOnboarding
    {
        /// <summary>Failed authentications before the applet blocks a tenant's authentication object.</summary>
        public const int MaxAttempts = 10;

        /// <summary>The authentication object id of the applet's default session (the agent), in policies.</summary>
        public const uint DefaultSession = 0x00000000;

        private readonly Se05xAuthObjectCommands _auth = new Se05xAuthObjectCommands();
        private readonly Se05xObjectCommands _objects = new Se05xObjectCommands();
        private readonly byte[] _policy = new byte[3 * Se05xPolicy.EntryLength];

        /// <summary>Creates a tenant's authentication object (owner's session): tenant WRITE (its own rotation and hand-over) and
        /// DELETE (leaving), nobody else anything; blocked after <see cref="MaxAttempts"/> failed authentications.</summary>
        /// <param name="tenantAuth">The tenant's authentication object id (the start of its block).</param>
        /// <param name="key">Buffer holding the tenant's first 16-byte key (the tenant rotates it away).</param>
        /// <param name="keyOffset">First key byte.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        public int CreateAuthObject(uint tenantAuth, byte[] key, int keyOffset, byte[] buffer, int offset)
        {
            int n = Entry(tenantAuth, Se05xPolicy.AllowWrite | Se05xPolicy.AllowDelete, 0);
            return _auth.WriteAesKey(tenantAuth, key, keyOffset, MaxAttempts, _policy, 0, n, buffer, offset);
        }

        /// <summary>Creates a request key object <c>tenantAuth | KVN</c>: default session VERIFY, tenant WRITE and DELETE.</summary>
        /// <param name="tenantAuth">The tenant's authentication object.</param>
        /// <param name="keyVersion">The request key version ('60'-'6F').</param>
        /// <param name="key">Buffer holding the 16-byte request key.</param>
        /// <param name="keyOffset">First key byte.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        public int CreateRequestKey(uint tenantAuth, byte keyVersion, byte[] key, int keyOffset, byte[] buffer, int offset)
        {
            int n = Entry(DefaultSession, Se05xPolicy.AllowVerify, 0);
            n = Entry(tenantAuth, Se05xPolicy.AllowWrite | Se05xPolicy.AllowDelete, n);
            return _objects.WriteSymmKey(Se05xSymmetricKeyType.Aes, Se05xTenantLayout.RequestKey(tenantAuth, keyVersion), key, keyOffset, 16, _policy, 0, n, buffer, offset);
        }

        /// <summary>Gives an existing AES key object a new value in place (WRITE needed): the tenant's authentication object
        /// (rotation, or a hand-over to a transfer key) or a request key.</summary>
        /// <param name="objectId">The object.</param>
        /// <param name="key">Buffer holding the new 16-byte key.</param>
        /// <param name="keyOffset">First key byte.</param>
        /// <param name="authObject">True for an authentication object (INS 41), false for a plain key object.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        public int UpdateKey(uint objectId, byte[] key, int keyOffset, bool authObject, byte[] buffer, int offset)
        {
            return authObject
                ? _auth.UpdateAesKey(objectId, key, keyOffset, buffer, offset)
                : _objects.WriteSymmKey(Se05xSymmetricKeyType.Aes, objectId, key, keyOffset, 16, null, 0, 0, buffer, offset);
        }

        /// <summary>Deletes an object (DeleteSecureObject; its policy must give the session DELETE).</summary>
        /// <param name="objectId">The object.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        public int Delete(uint objectId, byte[] buffer, int offset)
        {
            return _objects.DeleteSecureObject(objectId, buffer, offset);
        }

        /// <summary>Creates the gate's reading MAC key: default session SIGN, tenant WRITE and DELETE.</summary>
        /// <param name="tenantAuth">The tenant's authentication object.</param>
        /// <param name="key">Buffer holding the 16-byte key (the backend keeps its copy to verify readings).</param>
        /// <param name="keyOffset">First key byte.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        public int CreateReadingKey(uint tenantAuth, byte[] key, int keyOffset, byte[] buffer, int offset)
        {
            return GateKey(tenantAuth, Se05xTenantLayout.ReadingKey, Se05xPolicy.AllowSign, key, keyOffset, buffer, offset);
        }

        /// <summary>Creates the gate's command MAC key: default session VERIFY, tenant WRITE and DELETE.</summary>
        /// <param name="tenantAuth">The tenant's authentication object.</param>
        /// <param name="key">Buffer holding the 16-byte key (the backend keeps its copy to MAC commands).</param>
        /// <param name="keyOffset">First key byte.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        public int CreateCommandKey(uint tenantAuth, byte[] key, int keyOffset, byte[] buffer, int offset)
        {
            return GateKey(tenantAuth, Se05xTenantLayout.CommandKey, Se05xPolicy.AllowVerify, key, keyOffset, buffer, offset);
        }

        /// <summary>Creates the reading epoch counter (4 bytes): default session READ and WRITE (raise), tenant DELETE.</summary>
        /// <param name="tenantAuth">The tenant's authentication object.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        public int CreateEpochCounter(uint tenantAuth, byte[] buffer, int offset)
        {
            return Counter(tenantAuth, Se05xTenantLayout.ReadingEpoch, 4, buffer, offset);
        }

        /// <summary>Creates the last accepted command counter (8 bytes): default session READ and WRITE, tenant DELETE.</summary>
        /// <param name="tenantAuth">The tenant's authentication object.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        public int CreateCommandCounter(uint tenantAuth, byte[] buffer, int offset)
        {
            return Counter(tenantAuth, Se05xTenantLayout.CommandCounter, 8, buffer, offset);
        }

        /// <summary>Generates the attestation key pair (P-256) in the SE: default session ATTESTATION and READ (the public
        /// part), tenant DELETE.</summary>
        /// <param name="tenantAuth">The tenant's authentication object.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        public int CreateAttestationKey(uint tenantAuth, byte[] buffer, int offset)
        {
            int n = Entry(DefaultSession, Se05xPolicy.AllowAttestation | Se05xPolicy.AllowRead, 0);
            n = Entry(tenantAuth, Se05xPolicy.AllowRead | Se05xPolicy.AllowDelete, n);
            return _objects.GenerateEcKeyPair(Se05xTenantLayout.Object(tenantAuth, Se05xTenantLayout.AttestationKey), _policy, 0, n, buffer, offset);
        }

        /// <summary>Reads the attestation key's public part (ReadObject of the pair).</summary>
        /// <param name="tenantAuth">The tenant's authentication object.</param>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        public int ReadAttestationKey(uint tenantAuth, byte[] buffer, int offset)
        {
            return _objects.ReadObject(Se05xTenantLayout.Object(tenantAuth, Se05xTenantLayout.AttestationKey), buffer, offset);
        }

        private int GateKey(uint tenantAuth, uint slot, uint agentRight, byte[] key, int keyOffset, byte[] buffer, int offset)
        {
            int n = Entry(DefaultSession, agentRight, 0);
            n = Entry(tenantAuth, Se05xPolicy.AllowWrite | Se05xPolicy.AllowDelete, n);
            return _objects.WriteSymmKey(Se05xSymmetricKeyType.Aes, Se05xTenantLayout.Object(tenantAuth, slot), key, keyOffset, 16, _policy, 0, n, buffer, offset);
        }

        private int Counter(uint tenantAuth, uint slot, int size, byte[] buffer, int offset)
        {
            int n = Entry(DefaultSession, Se05xPolicy.AllowRead | Se05xPolicy.AllowWrite, 0);
            n = Entry(tenantAuth, Se05xPolicy.AllowRead | Se05xPolicy.AllowDelete, n);
            return _objects.CreateCounter(Se05xTenantLayout.Object(tenantAuth, slot), size, 0, _policy, 0, n, buffer, offset);
        }

        private int Entry(uint authObject, uint rules, int at)
        {
            return at + Se05xPolicy.WriteEntry(authObject, rules, _policy, at);
        }
    }
}
