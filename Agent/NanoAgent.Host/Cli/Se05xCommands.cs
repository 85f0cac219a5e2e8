using System.CommandLine;
using System.Globalization;
using NanoAgent.Drivers.Host.Bus;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.T1;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Common;
using NanoAgent.Host.Se;

namespace NanoAgent.Host.Cli;

/// <summary>
/// <c>nanoagent se05x</c>: the SE05x owner's and tenants' tools (docs/se05x.md, docs/lifecycle.md §5): <c>bootstrap</c> puts the
/// owner's authentication object and request key over the local link; <c>script onboard</c> and <c>script gate</c> write the
/// scripts that <c>backend run</c> sends through the agent in the owner's and the tenant's own applet sessions.
/// </summary>
public static class Se05xCommands
{
    /// <summary>Builds the command group.</summary>
    /// <returns>The <c>se05x</c> command.</returns>
    public static Command Build()
    {
        var group = new Command("se05x", "NXP SE05x (IoT applet only): the owner's bench set-up and the scripts that onboard a tenant and set up its gate (docs/se05x.md).");
        group.Add(BuildBootstrap());
        group.Add(BuildKeygen());
        var script = new Command("script", "Write an SE05x script for backend run (plain commands; the backend adds its applet-level SCP03).");
        script.Add(BuildOnboard());
        script.Add(BuildGate());
        group.Add(script);
        return group;
    }

    private static Command BuildBootstrap()
    {
        var se = new SeTargetOptions();
        var owner = new Option<string>("--owner") { Description = "the owner's authentication object id, 8 hex digits ending in 00 (e.g. 7A000000)", Required = true };
        var keys = new Option<string>("--keys") { Description = "the owner's authentication key: a key file whose enc, mac and dek are the one AES-128 key (mode 600)", Required = true };
        var request = new Option<string>("--request-key") { Description = "the owner's request key set (KVN 60-6F; its mac key goes into the SE)", Required = true };
        var command = new Command("bootstrap", "Over the local SE link (never over MQTT): create the owner's authentication object and first request key object in the applet's default session.");
        se.AddTo(command);
        command.Add(owner);
        command.Add(keys);
        command.Add(request);
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            TextWriter error = parse.InvocationConfiguration.Error;
            try
            {
                uint ownerAuth = Block(parse.GetValue(owner)!, "--owner");
                byte[] authKey = TenantKeyFile.LoadSe05x(parse.GetValue(keys)!);
                var (kvn, _, requestKey, _) = TenantKeyFile.LoadRaw(parse.GetValue(request)!);
                if (!RequestKey.IsRequestKeyVersion(kvn))
                {
                    throw new BackendException(2, $"{parse.GetValue(request)}: a request key set has a key version 60 to 6F, not {kvn:X2}");
                }

                SeTarget target = se.Read(parse);
                using SeConnection connection = SeConnection.Create(target);
                connection.Transport.Open();
                ushort sw = Se05xOwnerBootstrap.PutOwner(connection.Transport, ownerAuth, authKey, kvn, requestKey);
                output.WriteLine(sw switch
                {
                    0x9000 => $"owner {ownerAuth:X8}: authentication object and request key {kvn:X2} created on {connection.BusDescription}",
                    Se05xOwnerBootstrap.AlreadyThere => $"owner {ownerAuth:X8}: the authentication object exists already; nothing written (bootstrap runs once: later keys go through the owner's applet session)",
                    0x6A82 => "the SE refused (6A82): no IoT applet on this SE (an SE05x needs --card se05x on the virtual SE)",
                    _ => $"the SE refused ({sw:X4}): 6A84 no room, 6986 an object with this id exists under another policy",
                });
                return sw == 0x9000 ? ExitCodes.Ok : ExitCodes.Failed;
            }
            catch (BackendException e)
            {
                error.WriteLine("error: " + e.Message);
                return e.ExitCode;
            }
            catch (FormatException e)
            {
                error.WriteLine(e.Message);
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is HostBusException or BlockProtocolException or NanoAgent.Drivers.Apdu.ApduException)
            {
                error.WriteLine($"the SE does not answer: {e.Message}");
                return ExitCodes.NoDevice;
            }
        });
        return command;
    }

    private static Command BuildOnboard()
    {
        var block = new Option<string>("--tenant-block") { Description = "the tenant's authentication object id, 8 hex digits ending in 00 (its tenants file line: 'id se05x <block>')", Required = true };
        var keys = new Option<string>("--keys") { Description = "the tenant's first authentication key (enc = mac = dek), which the tenant then replaces", Required = true };
        var request = new Option<string>("--request-key") { Description = "the tenant's first request key set (KVN 60-6F)", Required = true };
        var outFile = new Option<string?>("--out") { Description = "the script file to write (default: standard output)" };
        var command = new Command("onboard", "The owner's script: the tenant's authentication object and first request key object, with policies only the tenant satisfies.");
        foreach (Option option in new Option[] { block, keys, request, outFile })
        {
            command.Add(option);
        }

        command.SetAction(parse => Write(parse, outFile, () =>
        {
            var (kvn, _, requestKey, _) = TenantKeyFile.LoadRaw(parse.GetValue(request)!);
            if (!RequestKey.IsRequestKeyVersion(kvn))
            {
                throw new BackendException(2, $"{parse.GetValue(request)}: a request key set has a key version 60 to 6F, not {kvn:X2}");
            }

            return Se05xScripts.OwnerCreatesTenantsText(kvn, (Block(parse.GetValue(block)!, "--tenant-block"), TenantKeyFile.LoadSe05x(parse.GetValue(keys)!), requestKey));
        }));
        return command;
    }

    private static Command BuildKeygen()
    {
        var outFile = new Option<string>("--out") { Description = "key file to create (mode 600; never overwritten)", Required = true };
        var kvn = new Option<string?>("--kvn") { Description = "a key file's version in hex: 01 for an authentication key, 60 to 6F for a request key (default 01)" };
        var gate = new Option<bool>("--gate") { Description = "write a gate key file instead (32 hex digits: a reading or command key for se05x script gate, backend watch and actuate)" };
        var command = new Command("keygen", "Write a fresh random AES-128 key for an SE05x object: a key file whose enc, mac and dek are that one key (authentication or request key), or a gate key file; prints nothing of the key.");
        command.Add(outFile);
        command.Add(kvn);
        command.Add(gate);
        command.SetAction(parse =>
        {
            TextWriter error = parse.InvocationConfiguration.Error;
            string path = parse.GetValue(outFile)!;
            string text = parse.GetValue(kvn) ?? "01";
            if (!byte.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte version) || version is 0 or > 0x7F)
            {
                error.WriteLine($"'{text}' is not a key version number: use hex 01 to 7F");
                return ExitCodes.Usage;
            }

            if (File.Exists(path))
            {
                error.WriteLine($"{path} exists; keygen never overwrites a key file");
                return ExitCodes.Failed;
            }

            byte[] key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
            if (parse.GetValue(gate))
            {
                NanoAgent.Host.Gate.GateKeyFile.Write(path, key);
            }
            else
            {
                TenantKeyFile.WriteSingleKey(path, version, key);
            }

            parse.InvocationConfiguration.Output.WriteLine($"Wrote {path}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildGate()
    {
        var block = new Option<string>("--tenant-block") { Description = "the tenant's authentication object id (8 hex digits ending in 00)", Required = true };
        var reading = new Option<string>("--reading-key") { Description = "the gate's reading key file (32 hex digits, mode 600): backend watch --card se05x verifies with it", Required = true };
        var commandKey = new Option<string>("--command-key") { Description = "the gate's command key file: backend actuate --card se05x MACs with it", Required = true };
        var newKeys = new Option<string?>("--new-keys") { Description = "the tenant's own authentication key (enc = mac = dek): the script's last step replaces the owner's with it" };
        var outFile = new Option<string?>("--out") { Description = "the script file to write (default: standard output)" };
        var command = new Command("gate", "The tenant's script: its gate objects (reading and command keys, counters, attestation key), a data file, the attestation key's public part, and its take-over.");
        foreach (Option option in new Option[] { block, reading, commandKey, newKeys, outFile })
        {
            command.Add(option);
        }

        command.SetAction(parse => Write(parse, outFile, () => Se05xScripts.TenantSetsUpText(
            Block(parse.GetValue(block)!, "--tenant-block"),
            NanoAgent.Host.Gate.GateKeyFile.LoadMacKey(parse.GetValue(reading)!),
            NanoAgent.Host.Gate.GateKeyFile.LoadMacKey(parse.GetValue(commandKey)!),
            parse.GetValue(newKeys) is { } path ? TenantKeyFile.LoadSe05x(path) : null)));
        return command;
    }

    private static int Write(ParseResult parse, Option<string?> outFile, Func<string> script)
    {
        try
        {
            string text = script();
            if (parse.GetValue(outFile) is { } path)
            {
                File.WriteAllText(path, text);
                parse.InvocationConfiguration.Output.WriteLine($"wrote {path}");
            }
            else
            {
                parse.InvocationConfiguration.Output.Write(text);
            }

            return ExitCodes.Ok;
        }
        catch (BackendException e)
        {
            parse.InvocationConfiguration.Error.WriteLine("error: " + e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            parse.InvocationConfiguration.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
    }

    private static uint Block(string text, string option)
    {
        if (text.Length != 8 || !uint.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint id) || !Se05xTenantLayout.IsValidAuthObject(id))
        {
            throw new FormatException($"{option} '{text}' is not an authentication object id: 8 hex digits ending in 00, not 0, outside 7FFFxxxx");
        }

        return id;
    }
}
