using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Gp;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent gp ...</c>: the lab's card manager (list, put-key, install, delete, lock, card life cycle, keygen).</summary>
public static class GpCommands
{
    /// <summary>Builds the <c>gp</c> command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var gp = new Command("gp", "Manage a GlobalPlatform card over SCP03: registry, keys, applications, life cycle.");
        gp.Add(BuildList());
        gp.Add(BuildPutKey());
        gp.Add(BuildAddRequestKey());
        gp.Add(BuildInstall());
        gp.Add(BuildDelete());
        gp.Add(BuildEntryStatus("lock", "Lock an application or SD (SET STATUS, GPC §11.10).", GpSetStatus.Lock, "locking an application"));
        gp.Add(BuildEntryStatus("unlock", "Unlock an application or SD (SET STATUS).", GpSetStatus.Unlock, null));
        gp.Add(BuildCardStatus("card-lock", "Lock the card (SET STATUS CARD_LOCKED '7F').", 0x7F, "locking the card"));
        gp.Add(BuildCardStatus("card-terminate", "Terminate the card for good (SET STATUS TERMINATED 'FF').", 0xFF, "terminating the card"));
        gp.Add(BuildKeygen());
        return gp;
    }

    private static Command BuildList()
    {
        var (command, target, options) = Create("list", "List the ISD, applications, SDs and load files (GET STATUS) as a table.", safety: false);
        command.SetAction(parse => GpSessionRunner.WithSettings(parse, options, settings =>
            GpSessionRunner.WithSession(parse, target, settings, (session, _) =>
            {
                var (rows, sw) = GpRegistryList.Read(session);
                if (rows is null)
                {
                    parse.InvocationConfiguration.Error.WriteLine("GET STATUS failed: " + Drivers.Apdu.StatusWordText.Describe(sw));
                    return ExitCodes.Failed;
                }

                if (parse.GetValue(options.Json))
                {
                    JsonReport.Write(parse.InvocationConfiguration.Output, "gp list", ExitCodes.Ok, new
                    {
                        Sd = Convert.ToHexString(settings.SdAid),
                        Entries = rows.Select(r => new
                        {
                            Aid = Convert.ToHexString(r.Entry.Aid), Kind = r.Kind.ToLowerInvariant(),
                            LifeCycle = GpText.LifeCycle(r.Kind, r.Entry.LifeCycle), LifeCycleCode = r.Entry.LifeCycle.ToString("X2", CultureInfo.InvariantCulture),
                            Privileges = Convert.ToHexString(r.Entry.Privileges),
                            AssociatedSd = r.Entry.AssociatedSecurityDomain is null ? null : Convert.ToHexString(r.Entry.AssociatedSecurityDomain),
                        }),
                    });
                }
                else
                {
                    GpRegistryList.Print(parse.InvocationConfiguration.Output, rows);
                }

                return ExitCodes.Ok;
            })));
        return command;
    }

    private static Command BuildPutKey()
    {
        var (command, target, options) = Create("put-key", "Rotate an SD's key set safely: add the new key version, prove it, then delete the old one. Resumable.", safety: true);
        var newKeys = new Option<string>("--new-keys") { Description = "key file of the new key set (its KVN must differ from the old one)", Required = true };
        command.Add(newKeys);
        command.SetAction(parse => GpSessionRunner.WithSettings(parse, options, settings =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            Scp03StaticKeys fresh = GpKeyFiles.Load(parse.GetValue(newKeys)!);
            output.WriteLine($"old: {settings.Keys}");
            output.WriteLine($"new: {fresh}");
            if (parse.GetValue(options.DryRun))
            {
                int counter = parse.GetValue(options.Counter);
                byte[] apdu = new byte[300];
                var add = GpSessionRunner.DryRun(settings, counter, [apdu[..GpPutKey.Build(fresh, settings.Keys, GpPutKey.AddNew, apdu, 0)]]);
                var delete = GpSessionRunner.DryRun(settings with { Keys = fresh }, counter + 1, [apdu[..GpDelete.BuildKeySet(settings.Keys.KeyVersion, apdu, 0)]]);
                GpSessionRunner.PrintDryRun(output, settings, counter, add);
                GpSessionRunner.PrintDryRun(output, settings with { Keys = fresh }, counter + 1, delete);
                if (parse.GetValue(options.Json))
                {
                    JsonReport.Write(output, "gp put-key", ExitCodes.Ok, new
                    {
                        Sd = Convert.ToHexString(settings.SdAid), OldKeySet = settings.Keys.ToString(), NewKeySet = fresh.ToString(), DryRun = true,
                        Outcome = (string?)null, NewKeysWork = (bool?)null, OldKeysWork = (bool?)null, Apdus = add.Concat(delete),
                    });
                }

                return ExitCodes.Ok;
            }

            return GpSessionRunner.WithClosedSession(parse, target, settings.S16, (session, _) =>
            {
                var rotation = new KeyRotation(session, settings.Level, settings.ChallengeLength, new GpRotationPrinter(output));
                KeyRotationResult result = rotation.Run(settings.SdAid, settings.Keys, fresh);
                output.WriteLine($"outcome: {result.Outcome}");
                output.WriteLine($"keys that open now: {(result.NewKeysWork ? "new " : string.Empty)}{(result.OldKeysWork ? "old" : string.Empty)}".TrimEnd());
                int exit = result.Outcome == KeyRotationOutcome.Completed ? ExitCodes.Ok : ExitCodes.Failed;
                if (parse.GetValue(options.Json))
                {
                    JsonReport.Write(output, "gp put-key", exit, new
                    {
                        Sd = Convert.ToHexString(settings.SdAid), OldKeySet = settings.Keys.ToString(), NewKeySet = fresh.ToString(), DryRun = false,
                        Outcome = (string?)JsonNamingPolicy.CamelCase.ConvertName(result.Outcome.ToString()), NewKeysWork = (bool?)result.NewKeysWork,
                        OldKeysWork = (bool?)result.OldKeysWork, Apdus = Enumerable.Empty<GpDryRunApdu>(),
                    });
                }

                return exit;
            });
        }));
        return command;
    }

    // docs/lifecycle.md §0: the owner's first request key goes into the ISD over the local link (a relay request needs one).
    private static Command BuildAddRequestKey()
    {
        var (command, target, options) = Create("add-request-key", "Add a request key set (KVN 60-6F, docs/protocol.md §3.9) to an SD over the local SE link: the owner's bootstrap before its first relay request.", safety: true);
        var requestKey = new Option<string>("--request-key") { Description = "key file of the request key set (KVN 60 to 6F; nanoagent gp keygen --kvn 60 writes one)", Required = true };
        command.Add(requestKey);
        command.SetAction(parse => GpSessionRunner.RunCommands(parse, target, options, null, settings =>
        {
            Scp03StaticKeys keys = GpKeyFiles.Load(parse.GetValue(requestKey)!, GpKeyFiles.RequestKind);
            if (!NanoAgent.Drivers.Lifecycle.RequestKey.IsRequestKeyVersion(keys.KeyVersion))
            {
                throw new FormatException($"--request-key has KVN {keys.KeyVersion:X2}: a request key set has a version 60 to 6F");
            }

            byte[] apdu = new byte[300];
            return [apdu[..GpPutKey.Build(keys, settings.Keys, GpPutKey.AddNew, apdu, 0)]];
        }));
        return command;
    }

    private static Command BuildInstall()
    {
        var (command, target, options) = Create("install", "INSTALL [for install and make selectable] an application or SD from a load file.", safety: true);
        var elf = new Option<string>("--elf") { Description = "Executable Load File AID", Required = true };
        var module = new Option<string>("--module") { Description = "Executable Module AID", Required = true };
        var instance = new Option<string>("--instance") { Description = "AID of the new instance", Required = true };
        var privileges = new Option<string>("--privileges") { Description = "privileges in hex, 1 or 3 bytes (GPC §6.6.1); 804000 = SD with authorized management", DefaultValueFactory = _ => "00" };
        var sdOf = new Option<string?>("--sd-of") { Description = "install under this security domain (the session opens to it instead of --sd)" };
        command.Add(elf);
        command.Add(module);
        command.Add(instance);
        command.Add(privileges);
        command.Add(sdOf);
        command.SetAction(parse => GpSessionRunner.RunCommands(parse, target, options, null, settings =>
        {
            byte[] priv = Hex(parse.GetValue(privileges)!, "privileges");
            byte[] apdu = new byte[300];
            int n = GpInstall.BuildForInstallAndMakeSelectable(
                GpKeyFiles.ParseAid(parse.GetValue(elf)!), GpKeyFiles.ParseAid(parse.GetValue(module)!), GpKeyFiles.ParseAid(parse.GetValue(instance)!), priv, [], apdu, 0);
            return [apdu[..n]];
        }, parse.GetValue(sdOf)));
        return command;
    }

    private static Command BuildDelete()
    {
        var (command, target, options) = Create("delete", "DELETE an application, SD or load file (GPC §11.2). Irreversible: needs --yes or --dry-run.", safety: true);
        var aid = new Argument<string>("aid") { Description = "AID to delete" };
        var related = new Option<bool>("--related") { Description = "delete related objects too (an SD's applications, a load file's instances)" };
        command.Add(aid);
        command.Add(related);
        command.SetAction(parse => GpSessionRunner.RunCommands(parse, target, options, "DELETE", _ =>
        {
            byte[] victim = GpKeyFiles.ParseAid(parse.GetValue(aid)!);
            byte[] apdu = new byte[300];
            return [apdu[..GpDelete.BuildAid(victim, 0, victim.Length, parse.GetValue(related), apdu, 0)]];
        }));
        return command;
    }

    private static Command BuildEntryStatus(string name, string description, byte state, string? irreversible)
    {
        var (command, target, options) = Create(name, description, safety: true);
        var aid = new Argument<string>("aid") { Description = "AID of the application or SD" };
        command.Add(aid);
        command.SetAction(parse => GpSessionRunner.RunCommands(parse, target, options, irreversible, _ =>
        {
            byte[] entry = GpKeyFiles.ParseAid(parse.GetValue(aid)!);
            byte[] apdu = new byte[300];
            return [apdu[..GpSetStatus.BuildEntry(GpSetStatus.ScopeEntry, state, entry, 0, entry.Length, apdu, 0)]];
        }));
        return command;
    }

    private static Command BuildCardStatus(string name, string description, byte state, string irreversible)
    {
        var (command, target, options) = Create(name, description + " Needs --yes or --dry-run.", safety: true);
        command.SetAction(parse => GpSessionRunner.RunCommands(parse, target, options, irreversible, _ =>
        {
            byte[] apdu = new byte[8];
            return [apdu[..GpSetStatus.BuildCard(state, apdu, 0)]];
        }));
        return command;
    }

    private static Command BuildKeygen()
    {
        var outFile = new Option<string>("--out") { Description = "key file to create (mode 600); an existing one is refused unless --force", Required = true };
        var kvn = new Option<string>("--kvn") { Description = "key version number in hex, 01 to 7F", DefaultValueFactory = _ => "30" };
        var force = new Option<bool>("--force") { Description = "replace an existing key file (a card may still hold its keys: keep a copy)" };
        var json = new Option<bool>("--json") { Description = "print the file, KVN and key check values as JSON (docs/json.md)" };
        var command = new Command("keygen", "Write a fresh random SCP03 key set (AES-128) to a key file; prints its KCVs, never the keys.");
        command.Add(outFile);
        command.Add(kvn);
        command.Add(force);
        command.Add(json);
        command.SetAction(parse =>
        {
            TextWriter error = parse.InvocationConfiguration.Error;
            string text = parse.GetValue(kvn)!;
            if (!byte.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte version) || version is 0 or > 0x7F)
            {
                error.WriteLine($"'{text}' is not a key version number: use hex 01 to 7F");
                return ExitCodes.Usage;
            }

            string path = parse.GetValue(outFile)!;
            Scp03StaticKeys keys;
            try
            {
                keys = parse.GetValue(force) && File.Exists(path) ? Replace(path, version) : PlatformKeyStore.CreateRandom(path, BouncyCastleAesFactory.Instance, null, version, kind: GpKeyFiles.Scp03Kind);
            }
            catch (PlatformKeyStoreException e)
            {
                // The file named on the command line cannot be used as asked: bad input, like every unusable file (exit 2).
                error.WriteLine("error: " + e.Message + (e.Error == PlatformKeyStoreError.AlreadyExists ? " Give --force to replace it." : string.Empty));
                return ExitCodes.Usage;
            }

            parse.InvocationConfiguration.Output.WriteLine($"Wrote {path}: {keys}");
            if (parse.GetValue(json))
            {
                JsonReport.Write(parse.InvocationConfiguration.Output, "gp keygen", ExitCodes.Ok, new { File = path, Kvn = version.ToString("X2", CultureInfo.InvariantCulture), KeySet = keys.ToString() });
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // --force: the new file is written beside the old one, then renamed over it, so a failure leaves the old keys in place.
    private static Scp03StaticKeys Replace(string path, byte version)
    {
        string fresh = path + ".new";
        File.Delete(fresh);
        Scp03StaticKeys keys = PlatformKeyStore.CreateRandom(fresh, BouncyCastleAesFactory.Instance, null, version, kind: GpKeyFiles.Scp03Kind);
        File.Move(fresh, path, overwrite: true);
        return keys;
    }

    private static (Command Command, SeTargetOptions Target, GpOptions Options) Create(string name, string description, bool safety)
    {
        var command = new Command(name, description);
        var target = new SeTargetOptions();
        var options = new GpOptions();
        target.AddTo(command);
        options.AddTo(command, safety);
        return (command, target, options);
    }

    private static byte[] Hex(string text, string what)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"--{what} '{text}' is not hex");
        }
    }
}
