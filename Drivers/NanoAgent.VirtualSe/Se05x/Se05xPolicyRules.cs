using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// How the virtual SE05x reads and enforces object policies. A policy is one or more sets <c>length | auth object id (4) |
/// access rules (4) | extension</c>, length = 8 + extension, the extension a PCR id and 32-byte value when
/// REQUIRE_PCR_VALUE is set (NXP fsl_sss_se05x_policy.c; se05x_const.h DEFAULT_OBJECT_POLICY_SIZE 8,
/// MAX_POLICY_BUFFER_SIZE 256). Our reading, documented in Se05x/README.md:
/// <list type="bullet">
/// <item>the set whose auth object id is the session's applies; the default session is auth object 00000000
/// (Nitrokey se05x crate: "can be used in policy to configure no-session access");</item>
/// <item>an object with a policy but no set for the session's auth object refuses every operation (a rule not granted is
/// forbidden, AN12413 §3.7 as the middleware builds sets);</item>
/// <item>an object created without TAG_POLICY has the default policy (AN12413 "[Optional: default policy applies]"), whose
/// rights NXP's sources do not list: here every session may do every operation the object type supports;</item>
/// <item>a refusal is 6986 (SM_ERR_COMMAND_NOT_ALLOWED, "access denied based on object policy"); a policy that does not
/// parse is 6984 (SM_ERR_DATA_INVALID, "policy set invalid for the given object").</item>
/// </list>
/// </summary>
internal static class Se05xPolicyRules
{
    /// <summary>MAX_POLICY_BUFFER_SIZE (se05x_const.h).</summary>
    public const int MaxPolicyLength = 256;

    /// <summary>Checks a policy written at creation: 0 when it parses, else <see cref="Se05xSw.DataInvalid"/>.</summary>
    public static ushort Validate(ReadOnlySpan<byte> policy)
    {
        if (policy.Length < 9 || policy.Length > MaxPolicyLength)
        {
            return Se05xSw.DataInvalid;
        }

        var seen = new HashSet<uint>();
        int p = 0;
        while (p < policy.Length)
        {
            int length = policy[p];
            if (length < 8 || p + 1 + length > policy.Length)
            {
                return Se05xSw.DataInvalid;
            }

            uint authId = Read32(policy, p + 1);
            uint rules = Read32(policy, p + 5);
            int expected = (rules & Se05xAccess.RequirePcrValue) != 0 ? 8 + 36 : 8;
            if (length != expected || !seen.Add(authId))
            {
                return Se05xSw.DataInvalid;
            }

            p += 1 + length;
        }

        return 0;
    }

    /// <summary>
    /// Decides whether the session may use the object for an operation needing <paramref name="right"/>: 0 when allowed,
    /// else <see cref="Se05xSw.CommandNotAllowed"/>.
    /// </summary>
    public static ushort Check(Se05xObject target, uint authId, bool secureMessaging, uint right)
    {
        byte[]? policy = target.Policy;
        if (policy is null)
        {
            return 0;
        }

        int p = 0;
        while (p + 9 <= policy.Length)
        {
            int length = policy[p];
            if (Read32(policy, p + 1) == authId)
            {
                uint rules = Read32(policy, p + 5);
                bool denied = (rules & Se05xAccess.ForbidAll) != 0
                    || (rules & right) != right
                    || ((rules & Se05xAccess.RequireSecureMessaging) != 0 && !secureMessaging)
                    || (rules & Se05xAccess.RequirePcrValue) != 0;
                return denied ? Se05xSw.CommandNotAllowed : (ushort)0;
            }

            p += 1 + length;
        }

        return Se05xSw.CommandNotAllowed;
    }

    private static uint Read32(ReadOnlySpan<byte> b, int at) => (uint)((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
}
