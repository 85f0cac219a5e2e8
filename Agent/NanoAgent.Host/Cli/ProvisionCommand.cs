using System.CommandLine;
using NanoAgent.Host.Provision;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent provision</c>: the field engineer's console that runs a signed bundle of tenants' pre-computed
/// scripts through the device's relay; <c>pack</c> and <c>issuer-key</c> make bundles (docs/provisioning.md).</summary>
public static class ProvisionCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>provision</c> command with its subcommands.</returns>
    public static Command Build()
    {
        var device = new Option<string>("--device") { Description = "the device id (must be the bundle's)", Required = true };
        var bundle = new Option<string>("--bundle") { Description = "the bundle file (JSON, docs/provisioning.md)", Required = true };
        var broker = new Option<string>("--broker") { Description = "the broker the device uses, mqtt://host:port", DefaultValueFactory = _ => "mqtt://127.0.0.1:1883" };
        var embedded = new Option<int?>("--embedded-broker") { Description = "run a broker on this laptop instead (port, default 1883)", Arity = ArgumentArity.ZeroOrOne }.InRange();
        var user = new Option<string?>("--user") { Description = "broker user name" };
        var password = new Option<string?>("--password") { Description = "broker password" };
        var issuer = new Option<string>("--issuer-key") { Description = "the bundle issuer's public key (PEM, P-256)", DefaultValueFactory = _ => Home("bundle-issuer.pub.pem") };
        var journal = new Option<string?>("--journal") { Description = "journal of finished items (default <bundle file name>.journal); re-run with it to resume" };
        var receipt = new Option<string?>("--receipt") { Description = "receipt file (default <bundle file name>.receipt.json)" };
        var timeout = new Option<int>("--timeout") { Description = "seconds without any sign from the device before giving up on an item", DefaultValueFactory = _ => 120 };
        var tls = new BrokerClientOptions();
        var brokerUsers = new Option<string?>("--broker-users") { Description = "with --embedded-broker: the broker users file (docs/broker-security.md); the broker then enforces logins and topic rules" };
        var tenants = new Option<string?>("--tenants") { Description = "with --broker-users: the device's tenants file" };
        var json = new Option<bool>("--json") { Description = "print the outcome (the receipt's fields) as JSON (docs/json.md)" };
        var command = new Command("provision", "Run a signed provisioning bundle (tenants' pre-computed SCP03 scripts) on a device: progress, resumable, receipt.");
        tls.AddTo(command);
        command.Add(brokerUsers);
        command.Add(tenants);
        command.Add(json);
        foreach (Option option in new Option[] { device, bundle, broker, embedded, user, password, issuer, journal, receipt, timeout })
        {
            command.Add(option);
        }

        command.Add(BuildPack());
        command.Add(BuildIssuerKey());
        command.SetAction(parse =>
        {
            if (!tls.TryRead(parse, out NanoAgent.Host.Mqtt.MqttNetSettings? mqtt) || !tls.TryReadPassword(parse, password, out string? secret))
            {
                return ExitCodes.Usage;
            }

            NanoAgent.Host.Mqtt.Access.BrokerAccessPolicy? access = null;
            if (parse.GetValue(brokerUsers) is not null || parse.GetValue(tenants) is not null)
            {
                if (parse.GetResult(embedded) is null)
                {
                    parse.InvocationConfiguration.Error.WriteLine("--broker-users configures the embedded broker: give it with --embedded-broker");
                    return ExitCodes.Usage;
                }

                access = BrokerCommand.LoadPolicy(parse.GetValue(tenants), parse.GetValue(brokerUsers), parse.InvocationConfiguration.Error);
                if (access is null)
                {
                    return ExitCodes.Usage;
                }
            }

            string path = parse.GetValue(bundle)!;
            string stem = Path.GetFileNameWithoutExtension(path);

            // SIGTERM or Ctrl+C stop the run between messages: the journal keeps what finished, the same command resumes.
            using var stop = new ShutdownSignal();
            return new ProvisionRun
            {
                BundlePath = path,
                IssuerKeyPath = parse.GetValue(issuer)!,
                Broker = parse.GetValue(broker)!,
                EmbeddedBrokerPort = parse.GetResult(embedded) is null ? null : parse.GetValue(embedded) ?? 1883,
                BrokerAccess = access,
                Json = parse.GetValue(json),
                Options = new ProvisionOptions
                {
                    Device = parse.GetValue(device)!, UserName = parse.GetValue(user), Password = secret, Mqtt = mqtt,
                    JournalPath = parse.GetValue(journal) ?? stem + ".journal", ReceiptPath = parse.GetValue(receipt) ?? stem + ".receipt.json",
                    ItemTimeout = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))),
                },
            }.Execute(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, stop.Token);
        });
        return command;
    }

    private static Command BuildPack()
    {
        var output = new Option<string>("--out") { Description = "the bundle file to write", Required = true };
        var id = new Option<string>("--bundle-id") { Description = "the bundle id (A-Z a-z 0-9 . _ -)", Required = true };
        var device = new Option<string>("--device") { Description = "the device id", Required = true };
        var key = new Option<string>("--issuer-private") { Description = "the issuer's private key (PEM, P-256)", Required = true };
        var requests = new Option<string[]>("--request") { Description = "an encoded E1 batch request from a tenant's backend; repeat, in run order", Required = true, AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "print the bundle written as JSON (docs/json.md)" };
        var command = new Command("pack", "Sign tenants' encoded batch requests into a bundle.");
        foreach (Option option in new Option[] { output, id, device, key, requests, json })
        {
            command.Add(option);
        }

        command.SetAction(parse =>
        {
            try
            {
                var builder = new BundleBuilder();
                foreach (string file in parse.GetValue(requests)!)
                {
                    try
                    {
                        builder.Add(InputFile.ReadBytes(file, "request file"));
                    }
                    catch (ProvisionBundleException e) when (e.Error == ProvisionBundleError.Malformed)
                    {
                        throw new InputFileException(file, e.Message, e);
                    }
                }

                using var issuer = LoadPrivateKey(parse.GetValue(key)!);
                ProvisionBundle made = builder.Sign(parse.GetValue(id)!, parse.GetValue(device)!, issuer);
                File.WriteAllText(parse.GetValue(output)!, made.ToJson());
                parse.InvocationConfiguration.Output.WriteLine($"bundle {made.BundleId} for {made.Device}: {made.Items.Count} items written to {parse.GetValue(output)}");
                if (parse.GetValue(json))
                {
                    JsonReport.Write(parse.InvocationConfiguration.Output, "provision pack", ExitCodes.Ok, new
                    {
                        File = parse.GetValue(output), made.BundleId, made.Device,
                        Items = made.Items.Select(i => new { i.Order, i.Tenant, ScriptId = i.ScriptIdHex, Steps = i.StepCount }),
                    });
                }

                return ExitCodes.Ok;
            }
            catch (ProvisionBundleException e)
            {
                // The ids or the requests given do not make a bundle (not identifiers, none, counters out of order): bad input.
                parse.InvocationConfiguration.Error.WriteLine($"error: cannot pack the bundle: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {parse.GetValue(output)}: cannot write the bundle: {e.Message}");
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    private static System.Security.Cryptography.ECDsa LoadPrivateKey(string path)
    {
        try
        {
            return BundleIssuerKey.Load(path);
        }
        catch (ProvisionBundleException e)
        {
            throw new InputFileException(path, $"not a usable bundle issuer key ({e.InnerException?.Message ?? e.Message})", e);
        }
    }

    private static Command BuildIssuerKey()
    {
        var privateKey = new Option<string>("--private") { Description = "where to write the private key (mode 600); an existing file is refused unless --force", Required = true };
        var publicKey = new Option<string>("--public") { Description = "where to write the public key for the consoles", Required = true };
        var force = new Option<bool>("--force") { Description = "replace existing key files (bundles signed with the old key no longer verify with the new public key)" };
        var json = new Option<bool>("--json") { Description = "print the files written as JSON (docs/json.md)" };
        var command = new Command("issuer-key", "Create a bundle issuer key pair (ECDSA P-256, PEM).");
        command.Add(privateKey);
        command.Add(publicKey);
        command.Add(force);
        command.Add(json);
        command.SetAction(parse =>
        {
            foreach (string file in new[] { parse.GetValue(privateKey)!, parse.GetValue(publicKey)! })
            {
                InputFile.RejectDirectory(file, "key file");
                if (File.Exists(file) && !parse.GetValue(force))
                {
                    throw new InputFileException(file, "already exists: an issuer key is never replaced silently; give --force to replace it");
                }
            }

            try
            {
                BundleIssuerKey.Generate(parse.GetValue(privateKey)!, parse.GetValue(publicKey)!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputFileException(parse.GetValue(privateKey)!, $"cannot write the issuer key pair: {e.Message}", e);
            }

            parse.InvocationConfiguration.Output.WriteLine($"issuer key pair written: {parse.GetValue(privateKey)} (keep secret), {parse.GetValue(publicKey)}");
            if (parse.GetValue(json))
            {
                JsonReport.Write(parse.InvocationConfiguration.Output, "provision issuer-key", ExitCodes.Ok, new { PrivateKey = parse.GetValue(privateKey), PublicKey = parse.GetValue(publicKey) });
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Home(string name) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nanoagent", name);
}
