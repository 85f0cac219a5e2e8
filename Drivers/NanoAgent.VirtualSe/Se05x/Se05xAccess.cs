namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// Access rule bits of an SE05x object policy (NXP middleware se05x_const.h POLICY_OBJ_*; AN12413 §3.7), the ones the
/// virtual card checks. Each operation needs one of them in the policy set of the session's authentication object.
/// </summary>
internal static class Se05xAccess
{
    /// <summary>POLICY_OBJ_FORBID_ALL: nothing is allowed.</summary>
    public const uint ForbidAll = 0x20000000;

    /// <summary>POLICY_OBJ_ALLOW_SIGN: signature or MAC generation.</summary>
    public const uint Sign = 0x10000000;

    /// <summary>POLICY_OBJ_ALLOW_VERIFY: signature or MAC verification.</summary>
    public const uint Verify = 0x08000000;

    /// <summary>POLICY_OBJ_ALLOW_KA: key agreement (ECDH).</summary>
    public const uint KeyAgreement = 0x04000000;

    /// <summary>POLICY_OBJ_ALLOW_ENC: encryption.</summary>
    public const uint Encrypt = 0x02000000;

    /// <summary>POLICY_OBJ_ALLOW_DEC: decryption.</summary>
    public const uint Decrypt = 0x01000000;

    /// <summary>POLICY_OBJ_ALLOW_KDF (applet 3.x; ALLOW_HKDF on 7.x): use as HKDF input key material.</summary>
    public const uint KeyDerivation = 0x00800000;

    /// <summary>POLICY_OBJ_ALLOW_WRAP: use as a key-encryption key (RFC 3394) when writing keys.</summary>
    public const uint Wrap = 0x00400000;

    /// <summary>POLICY_OBJ_ALLOW_READ: ReadObject.</summary>
    public const uint Read = 0x00200000;

    /// <summary>POLICY_OBJ_ALLOW_WRITE: overwrite the value (a counter: increment or set).</summary>
    public const uint Write = 0x00100000;

    /// <summary>POLICY_OBJ_ALLOW_GEN: regenerate a key pair inside the SE.</summary>
    public const uint Generate = 0x00080000;

    /// <summary>POLICY_OBJ_ALLOW_DELETE.</summary>
    public const uint Delete = 0x00040000;

    /// <summary>POLICY_OBJ_REQUIRE_SM: only in a session with C-MAC and C-DECRYPTION (an AESKey applet session here).</summary>
    public const uint RequireSecureMessaging = 0x00020000;

    /// <summary>POLICY_OBJ_REQUIRE_PCR_VALUE: the set carries a PCR id and value (PCRs are not modelled: never met).</summary>
    public const uint RequirePcrValue = 0x00010000;

    /// <summary>POLICY_OBJ_ALLOW_ATTESTATION: the key may sign attestations (attested I2CM reads).</summary>
    public const uint Attestation = 0x00008000;
}
