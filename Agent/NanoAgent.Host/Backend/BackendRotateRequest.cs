using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Mqtt;
using NanoAgent.VirtualSe.State;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Backend;

/// <summary>
/// <c>nanoagent backend rotate-keys</c>: replaces a security domain's key set through the agent's relay, the safe way round
/// (GPC v2.3.1 §11.8.2.2 and §11.2.2.3): (1) in a session with the current keys, PUT KEY adds the new key version (P1 '00',
/// nothing replaced in place); (2) a session with the new keys — which proves them — deletes the old key version. Made for an
/// owner's first contact with a card whose ISD still has its initial key set (KVN 'FF', <c>--keys default</c>), which
/// <c>backend run</c> refuses. A run that stopped after step 1 is resumed by running it again: step 1 is skipped when the
/// current keys no longer open a session but the new ones do.
/// </summary>
public sealed class BackendRotateRequest
{
    /// <summary>Gets the current key set: a key file (KVN 'FF' allowed) or <c>default</c>.</summary>
    public required string KeysPath { get; init; }

    /// <summary>Gets the new key set's file (KVN 01 to 7F; <c>nanoagent gp keygen</c> writes one).</summary>
    public required string NewKeysPath { get; init; }

    /// <summary>Gets the tenant's request key set file (KVN 60-6F): every request is MAC'd with it (docs/protocol.md §3.9).</summary>
    public required string RequestKeyPath { get; init; }

    /// <summary>Gets the broker TLS settings (CA, client certificate), or null for plain MQTT.</summary>
    public NanoAgent.Host.Mqtt.MqttNetSettings? Mqtt { get; init; }

    /// <summary>Gets the broker address text.</summary>
    public string Broker { get; init; } = "mqtt://127.0.0.1:1883";

    /// <summary>Gets the broker user name, or null.</summary>
    public string? User { get; init; }

    /// <summary>Gets the broker password, or null.</summary>
    public string? Password { get; init; }

    /// <summary>Gets the device id.</summary>
    public required string Device { get; init; }

    /// <summary>Gets the tenant id (the owner's, for the ISD).</summary>
    public required string Tenant { get; init; }

    /// <summary>Gets the security domain AID in hex, or null for the ISD.</summary>
    public string? Sd { get; init; }

    /// <summary>Gets the logical channel the commands are written for (obsolete option, default 0; docs/protocol.md §4.3).</summary>
    public int Channel { get; init; }

    /// <summary>Gets the state file path, or null for the default.</summary>
    public string? StatePath { get; init; }

    /// <summary>Gets the timeout per answer, in seconds.</summary>
    public int TimeoutSeconds { get; init; } = 30;

    /// <summary>The advice <c>backend run</c> gives when asked to use a card's initial key set.</summary>
    /// <returns>The message, with the exact commands to run.</returns>
    public static string Advice(string keys, string device, string tenant, string? sd, string broker)
    {
        string where = $"--broker {broker} --device {device} --tenant {tenant}" + (sd is null ? string.Empty : $" --sd {sd}");
        return $"--keys {keys}: this is the card's initial key set (KVN FF): whoever knows it (for the GP test keys 40..4F, anyone) can open this domain, "
            + "so backend run does not use it. Take the domain over first, through the agent (add your key set, prove it, delete KVN FF):\n"
            + "  nanoagent gp keygen --out owner-keys.json --kvn 01\n"
            + "  (once, on the bench: nanoagent gp keygen --out owner-request-key.json --kvn 60; nanoagent gp add-request-key --keys default --request-key owner-request-key.json)\n"
            + $"  nanoagent backend rotate-keys {where} --keys {keys} --new-keys owner-keys.json --request-key <your request key set>\n"
            + "then run scripts with --keys owner-keys.json (docs/lifecycle.md, \"First contact\").";
    }

    /// <summary>Runs the rotation.</summary>
    /// <param name="output">Normal output.</param>
    /// <param name="error">Errors.</param>
    /// <returns>0 rotated, 1 a step failed (the message says which and what holds now), 2 usage, 3 unreachable.</returns>
    public int Execute(TextWriter output, TextWriter error)
    {
        try
        {
            return ExecuteOrThrow(output);
        }
        catch (BackendException e)
        {
            error.WriteLine(e.Message);
            return e.ExitCode;
        }
    }

    private int ExecuteOrThrow(TextWriter output)
    {
        if (!NanoAgent.Agent.Tenants.Tenant.IsValidId(Tenant) || Channel is < 0 or > 19)
        {
            throw new BackendException(2, "--tenant is an identifier (A-Z a-z 0-9 . _ -) and --channel is 0 to 19");
        }

        byte[] sd = ParseSd();
        Scp03StaticKeys current = TenantKeyFile.Load(KeysPath, allowInitialKeyVersion: true);
        Scp03StaticKeys fresh = TenantKeyFile.Load(NewKeysPath);
        Scp03StaticKeys requestKeys = TenantKeyFile.Load(RequestKeyPath);
        if (!NanoAgent.Drivers.Lifecycle.RequestKey.IsRequestKeyVersion(requestKeys.KeyVersion))
        {
            throw new BackendException(2, $"{RequestKeyPath}: a request key set has a key version 60 to 6F, not {requestKeys.KeyVersion:X2}");
        }

        if (fresh.KeyVersion == current.KeyVersion)
        {
            throw new BackendException(2, $"--new-keys has KVN {fresh.KeyVersion:X2}, the same as --keys: give the new key set another version (gp keygen --kvn)");
        }

        if (!MqttBrokerAddress.TryParse(Broker, out MqttBrokerAddress? address) || address is null)
        {
            throw new BackendException(2, $"--broker '{Broker}' is not a broker address (mqtt://host:port or mqtts://host:port)");
        }

        var options = new BackendOptions { Device = Device, Tenant = Tenant, Sd = sd, Channel = Channel, Timeout = TimeSpan.FromSeconds(Math.Max(1, TimeoutSeconds)), RequestKeys = requestKeys };
        BackendState state = BackendState.Load(StatePath ?? BackendState.DefaultPath(Tenant));
        string aid = Convert.ToHexString(sd);
        output.WriteLine($"tenant {Tenant} on {Device}: rotating SD {aid} from key set {current} to {fresh}");
        using BackendLink link = BackendLink.Connect(address, User, Password, Device, Tenant, Mqtt);

        output.WriteLine($"1/2 add key set {fresh.KeyVersion:X2} in a session with key set {current.KeyVersion:X2} (PUT KEY)");
        BackendReport add = new TenantBackend(link, options, current, state, output).RunInteractive(Script(aid, b => GpPutKey.Build(fresh, current, GpPutKey.AddNew, b, 0), "add.apdu"));
        if (!add.Succeeded)
        {
            add.Print(output);
            output.WriteLine($"step 1 did not complete; key set {current.KeyVersion:X2} is unchanged. Trying step 2 in case an earlier run already added {fresh.KeyVersion:X2}.");
        }

        output.WriteLine($"2/2 delete key set {current.KeyVersion:X2} in a session with key set {fresh.KeyVersion:X2} (proves the new keys; DELETE [key])");
        BackendReport delete = new TenantBackend(link, options, fresh, state, output).RunInteractive(Script(aid, b => GpDelete.BuildKeySet(current.KeyVersion, b, 0), "delete.apdu"));
        delete.Print(output);
        if (!delete.Succeeded)
        {
            output.WriteLine(add.Succeeded
                ? $"FAILED after step 1: both key sets {current.KeyVersion:X2} and {fresh.KeyVersion:X2} may open the domain; run rotate-keys again."
                : $"FAILED: the domain still opens with key set {current.KeyVersion:X2} only (or not at all with these files); nothing was changed.");
            return ExitCodes.Failed;
        }

        output.WriteLine($"OK: SD {aid} now opens with key set {fresh.KeyVersion:X2} only ({NewKeysPath}); key set {current.KeyVersion:X2} is deleted");
        return ExitCodes.Ok;
    }

    private byte[] ParseSd()
    {
        if (Sd is null)
        {
            return CardState.DefaultIsdAid;
        }

        try
        {
            byte[] aid = Convert.FromHexString(Sd);
            return aid.Length is >= 5 and <= 16 ? aid : throw new BackendException(2, "--sd: an AID is 5 to 16 bytes");
        }
        catch (FormatException)
        {
            throw new BackendException(2, $"--sd '{Sd}' is not hex");
        }
    }

    private static ScriptFile Script(string sd, Func<byte[], int> build, string name)
    {
        byte[] apdu = new byte[300];
        int n = build(apdu);
        return ScriptFile.Parse($"sd {sd}\n{Convert.ToHexString(apdu, 0, n)}\n", name);
    }
}
