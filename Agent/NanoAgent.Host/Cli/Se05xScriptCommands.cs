using System.CommandLine;
using System.Globalization;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Common;
using NanoAgent.Host.Gate;

namespace NanoAgent.Host.Cli;

/// <summary>
/// <c>nanoagent se05x script onboard | gate</c> (docs/se05x.md): the owner's script that creates a tenant's authentication
/// object and first request key, and the tenant's script that sets up its gate objects. The scripts hold keys in plain
/// commands (the backend wraps them in its applet-level SCP03), so a script file is made with mode 600 and never replaces
/// another; <c>--json</c> reports the keys by their check values and needs <c>--out</c>.
/// </summary>
public static class Se05xScriptCommands
{
    /// <summary>Builds the <c>script</c> group.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var script = new Command("script", "Write an SE05x script for backend run (plain commands; the backend adds its applet-level SCP03).");
        script.Add(BuildOnboard());
        script.Add(BuildGate());
        return script;
    }

    private static Command BuildOnboard()
    {
        var block = new Option<string>("--tenant-block") { Description = "the tenant's authentication object id, 8 hex digits ending in 00 (its tenants file line: 'id se05x <block>')", Required = true };
        var keys = new Option<string>("--keys") { Description = "the tenant's first authentication key (enc = mac = dek), which the tenant then replaces", Required = true };
        var request = new Option<string>("--request-key") { Description = "the tenant's first request key set (KVN 60-6F)", Required = true };
        var outFile = new Option<string?>("--out") { Description = "the script file to create, mode 600 (default: standard output); an existing one is refused" };
        var json = new Option<bool>("--json") { Description = "report the script written and its keys' check values as JSON (docs/json.md); needs --out" };
        var command = new Command("onboard", "The owner's script: the tenant's authentication object and first request key object, with policies only the tenant satisfies.");
        foreach (Option option in new Option[] { block, keys, request, outFile, json })
        {
            command.Add(option);
        }

        command.SetAction(parse => Write(parse, "se05x script onboard", outFile, json, () =>
        {
            uint auth = Se05xCommands.Block(parse.GetValue(block)!, "--tenant-block");
            byte[] authKey = TenantKeyFile.LoadSe05x(parse.GetValue(keys)!);
            var (kvn, requestKey) = Se05xCommands.RequestKeyFile(parse.GetValue(request)!);
            return (auth, Se05xScripts.OwnerCreatesTenantsText(kvn, (auth, authKey, requestKey)),
                [Se05xCommands.Entry(auth, "authentication", authKey), Se05xCommands.Entry(Se05xTenantLayout.RequestKey(auth, kvn), "request", requestKey)]);
        }));
        return command;
    }

    private static Command BuildGate()
    {
        var block = new Option<string>("--tenant-block") { Description = "the tenant's authentication object id (8 hex digits ending in 00)", Required = true };
        var reading = new Option<string>("--reading-key") { Description = "the gate's reading key file (32 hex digits, mode 600): backend watch --card se05x verifies with it", Required = true };
        var commandKey = new Option<string>("--command-key") { Description = "the gate's command key file: backend actuate --card se05x MACs with it", Required = true };
        var newKeys = new Option<string?>("--new-keys") { Description = "the tenant's own authentication key (enc = mac = dek): the script's last step replaces the owner's with it" };
        var outFile = new Option<string?>("--out") { Description = "the script file to create, mode 600 (default: standard output); an existing one is refused" };
        var json = new Option<bool>("--json") { Description = "report the script written and its keys' check values as JSON (docs/json.md); needs --out" };
        var command = new Command("gate", "The tenant's script: its gate objects (reading and command keys, counters, attestation key), a data file, the attestation key's public part, and its take-over.");
        foreach (Option option in new Option[] { block, reading, commandKey, newKeys, outFile, json })
        {
            command.Add(option);
        }

        command.SetAction(parse => Write(parse, "se05x script gate", outFile, json, () =>
        {
            uint auth = Se05xCommands.Block(parse.GetValue(block)!, "--tenant-block");
            byte[] readingKey = GateKeyFile.LoadMacKey(parse.GetValue(reading)!);
            byte[] commandKeyValue = GateKeyFile.LoadMacKey(parse.GetValue(commandKey)!);
            byte[]? own = parse.GetValue(newKeys) is { } path ? TenantKeyFile.LoadSe05x(path) : null;
            var entries = new List<Se05xCommands.KeyEntry>
            {
                Se05xCommands.Entry(Se05xTenantLayout.Object(auth, Se05xTenantLayout.ReadingKey), "reading", readingKey),
                Se05xCommands.Entry(Se05xTenantLayout.Object(auth, Se05xTenantLayout.CommandKey), "command", commandKeyValue),
            };
            if (own is not null)
            {
                entries.Add(Se05xCommands.Entry(auth, "authentication", own));
            }

            return (auth, Se05xScripts.TenantSetsUpText(auth, readingKey, commandKeyValue, own), entries);
        }));
        return command;
    }

    private static int Write(ParseResult parse, string name, Option<string?> outFile, Option<bool> json, Func<(uint Block, string Text, IReadOnlyList<Se05xCommands.KeyEntry> Keys)> script)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        string? path = parse.GetValue(outFile);
        try
        {
            if (parse.GetValue(json) && path is null)
            {
                throw new BackendException(ExitCodes.Usage, "--json needs --out: the script holds keys, and with --json standard output holds the report alone");
            }

            var (block, text, keys) = script();
            if (path is null)
            {
                output.Write(text);
                return ExitCodes.Ok;
            }

            Create(path, text);
            output.WriteLine($"wrote {path}");
            if (parse.GetValue(json))
            {
                JsonReport.Write(output, name, ExitCodes.Ok, new
                {
                    File = path,
                    Sd = Convert.ToHexString(Tenant.AppletAid()),
                    TenantBlock = block.ToString("X8", CultureInfo.InvariantCulture),
                    Steps = ScriptFile.Parse(text, path).Steps.Count,
                    Keys = keys,
                });
            }

            return ExitCodes.Ok;
        }
        catch (BackendException e)
        {
            error.WriteLine("error: " + e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
    }

    // Mode 600 from the start (the script holds keys in plain commands); an existing file is bad input, never replaced.
    private static void Create(string path, string text)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new BackendException(ExitCodes.Usage, $"{path}: exists; a script file is never replaced");
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, options);
            writer.Write(text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackendException(ExitCodes.Usage, $"{path}: cannot be written: {e.Message}");
        }
    }
}
