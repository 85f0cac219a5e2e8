using System.Globalization;
using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Fleet;

/// <summary><c>nanoagent backend campaign create</c>: checks the script, the device list and the rules, then stores the
/// campaign with every device queued, in one transaction (a refusal changes nothing).</summary>
public sealed class CampaignCreateRequest
{
    /// <summary>Gets the campaign name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the <c>--db</c> text.</summary>
    public required string Db { get; init; }

    /// <summary>Gets the tenant id.</summary>
    public required string Tenant { get; init; }

    /// <summary>Gets the script file.</summary>
    public required string ScriptPath { get; init; }

    /// <summary>Gets the device list file.</summary>
    public required string DevicesPath { get; init; }

    /// <summary>Gets the SD AID in hex, or null for the script's <c>sd</c> line.</summary>
    public string? Sd { get; init; }

    /// <summary>Gets the tenant's logical channel.</summary>
    public int Channel { get; init; }

    /// <summary>Gets the mode.</summary>
    public string Mode { get; init; } = "batch";

    /// <summary>Gets the security level in hex.</summary>
    public string Level { get; init; } = "33";

    /// <summary>Gets a value indicating whether S16 mode is used.</summary>
    public bool S16 { get; init; }

    /// <summary>Gets the key version in hex, or null to read it from <see cref="KeysPath"/>.</summary>
    public string? KeyVersion { get; init; }

    /// <summary>Gets a tenant key file to take the key version from, or null.</summary>
    public string? KeysPath { get; init; }

    /// <summary>Gets the rollout rules.</summary>
    public RolloutRules Rules { get; init; } = new();

    /// <summary>Gets a value indicating whether to print the campaign stored in the JSON envelope.</summary>
    public bool Json { get; init; }

    /// <summary>Runs the request.</summary>
    /// <param name="output">Normal output.</param>
    /// <param name="error">Errors.</param>
    /// <returns>0 created, 2 bad input (one line), 3 database unreachable.</returns>
    public int Execute(TextWriter output, TextWriter error)
    {
        try
        {
            CampaignDefinition definition = Define(out List<string> devices);
            var store = new CampaignStore(FleetDatabase.Open(Db, create: true));
            store.Create(definition, devices);
            int steps = ScriptFile.Parse(definition.ScriptText, definition.ScriptName).Steps.Count;
            if (Json)
            {
                JsonReport.Write(output, "backend campaign create", ExitCodes.Ok, new
                {
                    name = Name, database = store.Database.Display, tenant = Tenant, sd = Convert.ToHexString(definition.Sd), channel = Channel, mode = Mode,
                    level = definition.Level.ToString("X2"), s16 = S16, keyVersion = definition.KeyVersion.ToString("X2"), script = definition.ScriptName, steps,
                    devices = devices.Count, rules = CampaignJson.Rules(Rules),
                });
                return ExitCodes.Ok;
            }

            output.WriteLine($"campaign {Name} created in {store.Database.Display}: {devices.Count} devices queued, tenant {Tenant}, " +
                $"SD {Convert.ToHexString(definition.Sd)}, {Mode}, key version {definition.KeyVersion:X2}, script {definition.ScriptName} ({steps} steps)");
            output.WriteLine($"run it with: nanoagent backend campaign run {Name} --db {Db} --keys K --request-key R --broker mqtt://HOST:PORT (on as many machines as you like)");
            return ExitCodes.Ok;
        }
        catch (FleetStoreException e)
        {
            error.WriteLine(e.ExitCode == ExitCodes.Usage ? "error: " + e.Message : e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is InputFileException or ScriptFileException or BackendException)
        {
            error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
    }

    private CampaignDefinition Define(out List<string> devices)
    {
        if (!CampaignDefinition.IsValidName(Name))
        {
            throw new BackendException(2, $"campaign name '{Name}' is not an identifier (1 to 64 of A-Z a-z 0-9 . _ -)");
        }

        if (!NanoAgent.Agent.Tenants.Tenant.IsValidId(Tenant))
        {
            throw new BackendException(2, "--tenant is an identifier: 1 to 32 of A-Z a-z 0-9 . _ -");
        }

        if (Mode is not ("batch" or "interactive"))
        {
            throw new BackendException(2, $"--mode is 'batch' or 'interactive', not '{Mode}'");
        }

        if (!byte.TryParse(Level, NumberStyles.HexNumber, null, out byte level))
        {
            throw new BackendException(2, $"--level is one hex byte (e.g. 33), not '{Level}'");
        }

        if (Channel is < 0 or > 19)
        {
            throw new BackendException(2, "--channel is 0 to 19");
        }

        if (Rules.Problem() is { } problem)
        {
            throw new BackendException(2, problem);
        }

        string text = InputFile.ReadText(ScriptPath, "script file");
        ScriptFile script = ScriptFile.Parse(text, ScriptPath);
        byte[] sd = ScriptSecurityDomain.Resolve(Sd, script, ScriptPath);
        byte kvn = Kvn();
        try
        {
            devices = DeviceList.Parse(InputFile.ReadText(DevicesPath, "device list"));
        }
        catch (DeviceListException e)
        {
            throw new InputFileException(DevicesPath, e.Message);
        }

        return new CampaignDefinition
        {
            Name = Name, Tenant = Tenant, Sd = sd, Channel = Channel, Level = level, S16 = S16, Mode = Mode, KeyVersion = kvn,
            ScriptName = Path.GetFileName(ScriptPath), ScriptText = text, Rules = Rules,
        };
    }

    private byte Kvn()
    {
        if (KeyVersion is not null)
        {
            return byte.TryParse(KeyVersion, NumberStyles.HexNumber, null, out byte v) && v is >= 0x01 and <= 0x7F && !NanoAgent.Drivers.Lifecycle.RequestKey.IsRequestKeyVersion(v)
                ? v
                : throw new BackendException(2, $"--kvn is an SCP03 key version in hex, 01 to 7F outside 60-6F, not '{KeyVersion}'");
        }

        return KeysPath is null
            ? throw new BackendException(2, "give the key version of the tenant's SCP03 key set: --kvn HEX or --keys FILE")
            : TenantKeyFile.Load(KeysPath).KeyVersion;
    }
}
