using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Host.Backend;

/// <summary>
/// The scripts the stakeholders of an SE05x send (docs/se05x.md, docs/lifecycle.md §5), in the readable script format: plain
/// commands for NXP's IoT applet, which each backend wraps in its own applet-level SCP03. <c>nanoagent se05x script</c>
/// writes them; the SE05x demo and process tests use them too, so all set up a card the same way.
/// </summary>
public static class Se05xScripts
{
    /// <summary>The label the demo's SE05x gate of acme binds into its MACs (the backends' <c>--gate</c>).</summary>
    public static readonly byte[] GateLabelAcme = Convert.FromHexString("F06E616E6F47410A");

    /// <summary>The label of beta's gate.</summary>
    public static readonly byte[] GateLabelBeta = Convert.FromHexString("F06E616E6F47410B");

    private static readonly string Sd = "sd " + Convert.ToHexString(Tenant.AppletAid());

    /// <summary>The owner, in its applet session: each tenant's authentication object and first request key (version 60).</summary>
    /// <param name="tenants">Each tenant's block, first authentication key and first request key.</param>
    /// <returns>The script.</returns>
    public static ScriptFile OwnerCreatesTenants(params (uint Auth, byte[] AuthKey, byte[] RequestKey)[] tenants) =>
        ScriptFile.Parse(OwnerCreatesTenantsText(0x60, tenants), "owner-se05x.apdu");

    /// <summary>The text of <see cref="OwnerCreatesTenants"/> with a request key version of choice.</summary>
    /// <param name="requestKeyVersion">The version of the tenants' first request keys ('60'-'6F').</param>
    /// <param name="tenants">Each tenant's block, first authentication key and first request key.</param>
    /// <returns>The script text.</returns>
    public static string OwnerCreatesTenantsText(byte requestKeyVersion, params (uint Auth, byte[] AuthKey, byte[] RequestKey)[] tenants)
    {
        var onboarding = new Se05xTenantOnboarding();
        var text = new StringWriter();
        text.WriteLine(Sd);
        foreach (var (auth, authKey, requestKey) in tenants)
        {
            text.WriteLine($"# tenant block {auth:X8}: AESKey authentication object (tenant WRITE, DELETE), request key {requestKeyVersion:X2} (agent VERIFY)");
            text.WriteLine(Apdu(b => onboarding.CreateAuthObject(auth, authKey, 0, b, 0)));
            text.WriteLine(Apdu(b => onboarding.CreateRequestKey(auth, requestKeyVersion, requestKey, 0, b, 0)));
        }

        return text.ToString();
    }

    /// <summary>
    /// A tenant, in its own applet session: its gate objects (reading and command keys, epoch and command counters, attestation
    /// key, whose public part the last but one step reads back), a data file, then a new value for its authentication object
    /// that the owner never saw (the take-over).
    /// </summary>
    /// <param name="auth">The tenant's block.</param>
    /// <param name="readingKey">The gate's reading key (the backend's watch key).</param>
    /// <param name="commandKey">The gate's command key (the backend's actuate key).</param>
    /// <param name="newAuthKey">The tenant's own authentication key, or null to keep the one the owner wrote.</param>
    /// <param name="name">The script's name.</param>
    /// <returns>The script.</returns>
    public static ScriptFile TenantSetsUp(uint auth, byte[] readingKey, byte[] commandKey, byte[]? newAuthKey, string name) =>
        ScriptFile.Parse(TenantSetsUpText(auth, readingKey, commandKey, newAuthKey), name);

    /// <summary>The text of <see cref="TenantSetsUp"/>.</summary>
    /// <param name="auth">The tenant's block.</param>
    /// <param name="readingKey">The gate's reading key.</param>
    /// <param name="commandKey">The gate's command key.</param>
    /// <param name="newAuthKey">The tenant's own authentication key, or null.</param>
    /// <returns>The script text.</returns>
    public static string TenantSetsUpText(uint auth, byte[] readingKey, byte[] commandKey, byte[]? newAuthKey)
    {
        var onboarding = new Se05xTenantOnboarding();
        var text = new StringWriter();
        text.WriteLine(Sd);
        text.WriteLine("# gate objects, every one with a policy only this tenant's authentication object satisfies (docs/se05x.md)");
        text.WriteLine(Apdu(b => onboarding.CreateReadingKey(auth, readingKey, 0, b, 0)) + "   # reading key: the agent may SIGN");
        text.WriteLine(Apdu(b => onboarding.CreateCommandKey(auth, commandKey, 0, b, 0)) + "   # command key: the agent may VERIFY");
        text.WriteLine(Apdu(b => onboarding.CreateEpochCounter(auth, b, 0)) + "   # reading epoch counter");
        text.WriteLine(Apdu(b => onboarding.CreateCommandCounter(auth, b, 0)) + "   # last accepted command counter");
        text.WriteLine(Apdu(b => onboarding.CreateAttestationKey(auth, b, 0)) + "   # attestation key pair, made in the SE");
        text.WriteLine(DataFile(auth, "hello"u8.ToArray()) + "   # the tenant's own data file");
        text.WriteLine(Apdu(b => onboarding.ReadAttestationKey(auth, b, 0)) + "   # the attestation key's public part");
        if (newAuthKey is not null)
        {
            text.WriteLine(Apdu(b => onboarding.UpdateKey(auth, newAuthKey, 0, true, b, 0)) + "   # take-over: a key the owner never saw");
        }

        return text.ToString();
    }

    /// <summary>A tenant writes and reads back its data file.</summary>
    /// <param name="auth">The tenant's block.</param>
    /// <param name="name">The script's name.</param>
    /// <returns>The script.</returns>
    public static ScriptFile TenantStoresData(uint auth, string name)
    {
        var objects = new Se05xObjectCommands();
        uint file = Se05xTenantLayout.Object(auth, Se05xTenantLayout.FirstFree);
        return ScriptFile.Parse($"{Sd}\n80010600{(6 + 4 + 7):X2}4104{file:X8}420200004405776F726C64\n{Apdu(b => objects.ReadObject(file, b, 0))}\n", name);
    }

    /// <summary>One tenant asking, inside its own session, for a session with another tenant's authentication object: the agent refuses.</summary>
    /// <param name="othersAuth">The other tenant's block.</param>
    /// <param name="name">The script's name.</param>
    /// <returns>The script.</returns>
    public static ScriptFile OpenOthersSession(uint othersAuth, string name) =>
        ScriptFile.Parse($"{Sd}\n{Apdu(b => new Se05xSessionCommands().CreateSession(othersAuth, b, 0))}\n", name);

    /// <summary>One tenant deleting another tenant's reading key from its own session: the applet refuses (object policy).</summary>
    /// <param name="othersAuth">The other tenant's block.</param>
    /// <param name="name">The script's name.</param>
    /// <returns>The script.</returns>
    public static ScriptFile DeleteOthersKey(uint othersAuth, string name) => ScriptFile.Parse(
        $"{Sd}\n{Apdu(b => new Se05xTenantOnboarding().Delete(Se05xTenantLayout.Object(othersAuth, Se05xTenantLayout.ReadingKey), b, 0))}\n", name);

    // WriteBinary creating the file at offset 10 of the block: TAG_POLICY (tenant READ WRITE DELETE), TAG_1 id, TAG_2 offset,
    // TAG_3 length, TAG_4 data (se05x_APDU_apis.h WriteBinary).
    private static string DataFile(uint auth, byte[] data)
    {
        byte[] policy = new byte[Se05xPolicy.EntryLength];
        Se05xPolicy.WriteEntry(auth, Se05xPolicy.AllowRead | Se05xPolicy.AllowWrite | Se05xPolicy.AllowDelete, policy, 0);
        uint file = Se05xTenantLayout.Object(auth, Se05xTenantLayout.FirstFree);
        string tlv = $"11{policy.Length:X2}{Convert.ToHexString(policy)}4104{file:X8}42020000430200{data.Length:X2}44{data.Length:X2}{Convert.ToHexString(data)}";
        return $"80010600{tlv.Length / 2:X2}{tlv}";
    }

    private static string Apdu(Func<byte[], int> build)
    {
        var buffer = new byte[1100];
        return Convert.ToHexString(buffer, 0, build(buffer));
    }
}
