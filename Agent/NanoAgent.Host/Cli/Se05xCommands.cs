using System.CommandLine;
using System.Globalization;
using NanoAgent.Drivers.Host.Bus;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.T1;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Common;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Se;

namespace NanoAgent.Host.Cli;

/// <summary>
/// <c>nanoagent se05x</c>: the SE05x owner's and tenants' tools (docs/se05x.md, docs/lifecycle.md §5): <c>bootstrap</c> puts the
/// owner's authentication object and request key over the local link; <c>keygen</c> makes their key files;
/// <c>script onboard</c> and <c>script gate</c> (<see cref="Se05xScriptCommands"/>) write the scripts that <c>backend run</c>
/// sends through the agent in the owner's and the tenant's own applet sessions. Each takes <c>--json</c> (docs/json.md),
/// which shows keys only by their key check values.
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
        group.Add(Se05xScriptCommands.Build());
        return group;
    }

    /// <summary>Reads an authentication object id (a tenant's block).</summary>
    /// <param name="text">The option's value.</param>
    /// <param name="option">The option's name, for the message.</param>
    /// <returns>The id.</returns>
    /// <exception cref="FormatException">Not 8 hex digits of a valid authentication object id.</exception>
    internal static uint Block(string text, string option)
    {
        if (text.Length != 8 || !uint.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint id) || !Se05xTenantLayout.IsValidAuthObject(id))
        {
            throw new FormatException($"{option} '{text}' is not an authentication object id: 8 hex digits ending in 00, not 0, outside 7FFFxxxx");
        }

        return id;
    }

    /// <summary>Loads a request key set and checks its version is a request key's ('60'-'6F').</summary>
    /// <param name="path">The key file.</param>
    /// <returns>The version and the key (its mac key: the one the request MAC uses).</returns>
    /// <exception cref="BackendException">The file is unusable or of another version (exit code 2).</exception>
    internal static (byte Kvn, byte[] Key) RequestKeyFile(string path)
    {
        var (kvn, _, key, _) = TenantKeyFile.LoadRaw(path);
        return RequestKey.IsRequestKeyVersion(kvn) ? (kvn, key) : throw new BackendException(2, $"{path}: a request key set has a key version 60 to 6F, not {kvn:X2}");
    }

    /// <summary>Describes a key an SE05x object receives, by its key check value only (docs/json.md).</summary>
    /// <param name="objectId">The object the key goes into.</param>
    /// <param name="role">authentication, request, reading or command.</param>
    /// <param name="key">The key.</param>
    /// <returns>The report entry.</returns>
    internal static KeyEntry Entry(uint objectId, string role, byte[] key) => new(objectId.ToString("X8", CultureInfo.InvariantCulture), role, Kcv(key));

    // GP's key check value (AES-ECB of 16 × '01', first 3 bytes), as key files and gp commands show it.
    private static string Kcv(byte[] key) => Convert.ToHexString(GateVerifier.KeyCheckValue(key));

    private static Command BuildBootstrap()
    {
        var se = new SeTargetOptions();
        var owner = new Option<string>("--owner") { Description = "the owner's authentication object id, 8 hex digits ending in 00 (e.g. 7A000000)", Required = true };
        var keys = new Option<string>("--keys") { Description = "the owner's authentication key: a key file whose enc, mac and dek are the one AES-128 key (mode 600)", Required = true };
        var request = new Option<string>("--request-key") { Description = "the owner's request key set (KVN 60-6F; its mac key goes into the SE)", Required = true };
        var json = new Option<bool>("--json") { Description = "print the outcome and the keys' check values as JSON (docs/json.md)" };
        var command = new Command("bootstrap", "Over the local SE link (never over MQTT): create the owner's authentication object and first request key object in the applet's default session.");
        se.AddTo(command);
        command.Add(owner);
        command.Add(keys);
        command.Add(request);
        command.Add(json);
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            TextWriter error = parse.InvocationConfiguration.Error;
            try
            {
                uint ownerAuth = Block(parse.GetValue(owner)!, "--owner");
                byte[] authKey = TenantKeyFile.LoadSe05x(parse.GetValue(keys)!);
                var (kvn, requestKey) = RequestKeyFile(parse.GetValue(request)!);
                SeTarget target = se.Read(parse);
                using SeConnection connection = SeConnection.Create(target);
                connection.Transport.Open();
                ushort sw = Se05xOwnerBootstrap.PutOwner(connection.Transport, ownerAuth, authKey, kvn, requestKey);
                string? failure = sw switch
                {
                    0x9000 => null,
                    Se05xOwnerBootstrap.AlreadyThere => $"owner {ownerAuth:X8}: the authentication object exists already; nothing written (bootstrap runs once: later keys go through the owner's applet session)",
                    0x6A82 => "the SE refused (6A82): no IoT applet on this SE (an SE05x needs --card se05x on the virtual SE)",
                    _ => $"the SE refused ({sw:X4}): 6A84 no room, 6986 an object with this id exists under another policy",
                };
                output.WriteLine(failure ?? $"owner {ownerAuth:X8}: authentication object and request key {kvn:X2} created on {connection.BusDescription}");
                int exit = sw == 0x9000 ? ExitCodes.Ok : ExitCodes.Failed;
                if (parse.GetValue(json))
                {
                    JsonReport.Write(output, "se05x bootstrap", exit, new
                    {
                        Owner = ownerAuth.ToString("X8", CultureInfo.InvariantCulture),
                        Link = connection.BusDescription,
                        Sw = sw.ToString("X4", CultureInfo.InvariantCulture),
                        Created = sw == 0x9000,
                        Failure = failure,
                        Keys = new[] { Entry(ownerAuth, "authentication", authKey), Entry(Se05xTenantLayout.RequestKey(ownerAuth, kvn), "request", requestKey) },
                    });
                }

                return exit;
            }
            catch (BackendException e)
            {
                error.WriteLine("error: " + e.Message);
                return e.ExitCode;
            }
            catch (FormatException e)
            {
                error.WriteLine("error: " + e.Message);
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is HostBusException or BlockProtocolException or NanoAgent.Drivers.Apdu.ApduException)
            {
                error.WriteLine($"error: the SE does not answer: {e.Message}");
                return ExitCodes.NoDevice;
            }
        });
        return command;
    }

    private static Command BuildKeygen()
    {
        var outFile = new Option<string>("--out") { Description = "key file to create (mode 600; an existing one is refused, never overwritten)", Required = true };
        var kvn = new Option<string?>("--kvn") { Description = "a key file's version in hex: 01 for an authentication key, 60 to 6F for a request key (default 01)" };
        var gate = new Option<bool>("--gate") { Description = "write a gate key file instead (32 hex digits: a reading or command key for se05x script gate, backend watch and actuate)" };
        var json = new Option<bool>("--json") { Description = "print the file, its kind and the key's check value as JSON (docs/json.md)" };
        var command = new Command("keygen", "Write a fresh random AES-128 key for an SE05x object: a key file whose enc, mac and dek are that one key (authentication or request key), or a gate key file; prints its key check value, never the key.");
        command.Add(outFile);
        command.Add(kvn);
        command.Add(gate);
        command.Add(json);
        command.SetAction(parse =>
        {
            TextWriter error = parse.InvocationConfiguration.Error;
            string path = parse.GetValue(outFile)!;
            string text = parse.GetValue(kvn) ?? "01";
            if (!byte.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte version) || version is 0 or > 0x7F)
            {
                error.WriteLine($"error: '{text}' is not a key version number: use hex 01 to 7F");
                return ExitCodes.Usage;
            }

            // A key file that exists may be the only copy of a key an SE holds: bad input (2), never replaced.
            if (File.Exists(path) || Directory.Exists(path))
            {
                error.WriteLine($"error: {path}: exists; keygen never overwrites a key file");
                return ExitCodes.Usage;
            }

            byte[] key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
            bool isGate = parse.GetValue(gate);
            try
            {
                if (isGate)
                {
                    GateKeyFile.Write(path, key);
                }
                else
                {
                    TenantKeyFile.WriteSingleKey(path, version, key);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {path}: cannot be written: {e.Message}");
                return ExitCodes.Usage;
            }

            string kind = isGate ? "gate" : RequestKey.IsRequestKeyVersion(version) ? "request" : "authentication";
            parse.InvocationConfiguration.Output.WriteLine($"Wrote {path}: {kind} key{(isGate ? string.Empty : $" KVN {version:X2}")} KCV {Kcv(key)}");
            if (parse.GetValue(json))
            {
                JsonReport.Write(parse.InvocationConfiguration.Output, "se05x keygen", ExitCodes.Ok, new
                {
                    File = path,
                    Kind = kind,
                    Kvn = isGate ? null : version.ToString("X2", CultureInfo.InvariantCulture),
                    Kcv = Kcv(key),
                });
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A key in a report: the object it goes into, its role and its key check value.</summary>
    /// <param name="Object">The object id, 8 hex digits.</param>
    /// <param name="Role">authentication, request, reading or command.</param>
    /// <param name="Kcv">The key check value, 6 hex digits.</param>
    internal sealed record KeyEntry(string Object, string Role, string Kcv);
}
