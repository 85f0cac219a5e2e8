using System.CommandLine;
using NanoAgent.Agent.Tenants;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Cli;

/// <summary>
/// <c>nanoagent broker</c>: an embedded MQTT broker for a field engineer's laptop, optionally enforcing the broker users
/// file; <c>broker acl</c> writes the same rules for mosquitto and <c>broker passwd</c> makes a users file line
/// (docs/broker-security.md).
/// </summary>
public static class BrokerCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 1883 }.InRange();
        var user = new Option<string?>("--user") { Description = "require this user name" };
        var password = new Option<string?>("--password") { Description = "require this password (with --user)" };
        var tenants = new Option<string?>("--tenants") { Description = "the tenants file (with --users)" };
        var users = new Option<string?>("--users") { Description = "the broker users file: per-user passwords and per-topic rules (docs/broker-security.md)" };
        var duration = new Option<int>("--duration") { Description = "stop after this many seconds (0: run until Ctrl+C)" };
        var bind = new Option<string>("--bind")
        {
            Description = "IPv4 address to listen on: 127.0.0.1 (this PC only) or 0.0.0.0 (boards on the local network)",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var command = new Command("broker", "Run an embedded MQTT broker (retained messages and wills supported) until Ctrl+C.");
        foreach (Option option in new Option[] { port, user, password, tenants, users, duration, bind })
        {
            command.Add(option);
        }

        command.Add(BuildAcl());
        command.Add(BuildPasswd());
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            TextWriter error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(user) is null != parse.GetValue(password) is null)
            {
                error.WriteLine("--user and --password go together");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(users) is not null && parse.GetValue(user) is not null)
            {
                error.WriteLine("give either --users (with --tenants) or --user/--password");
                return ExitCodes.Usage;
            }

            if (!System.Net.IPAddress.TryParse(parse.GetValue(bind), out System.Net.IPAddress? address)
                || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                error.WriteLine($"--bind '{parse.GetValue(bind)}' is not an IPv4 address (e.g. 127.0.0.1 or 0.0.0.0)");
                return ExitCodes.Usage;
            }

            BrokerAccessPolicy? policy = null;
            if (parse.GetValue(users) is not null || parse.GetValue(tenants) is not null)
            {
                policy = LoadPolicy(parse.GetValue(tenants), parse.GetValue(users), error);
                if (policy is null)
                {
                    return ExitCodes.Usage;
                }
            }

            using var stop = new ShutdownSignal();
            using var broker = new EmbeddedBroker(parse.GetValue(port), parse.GetValue(user), parse.GetValue(password))
            {
                BindAddress = address,
                AccessPolicy = policy,
                Log = line => WriteLine(output, "broker: " + line),
            };
            try
            {
                broker.Start();
            }
            catch (NanoAgent.Agent.Mqtt.MqttConnectionException e)
            {
                // The port is in use: a resource the command needs could not be had, like agent --embedded-broker (exit 3).
                error.WriteLine(e.Message);
                return ExitCodes.NoDevice;
            }

            string mode = policy is not null ? $" ({policy.Grants.Count} users, topic rules enforced)"
                : parse.GetValue(user) is null ? " (anonymous)" : " (user/password required)";
            WriteLine(output, $"broker listening on mqtt://{address}:{broker.Port}{mode}");
            int seconds = parse.GetValue(duration);
            stop.Wait(seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan);

            WriteLine(output, $"broker stopped{(stop.Received is null ? string.Empty : " (" + stop.Received + ")")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildAcl()
    {
        var tenants = new Option<string>("--tenants") { Description = "the tenants file", Required = true };
        var users = new Option<string>("--users") { Description = "the broker users file (mode 600)", Required = true };
        var output = new Option<string>("--out") { Description = "the folder for mosquitto.passwd, mosquitto.acl and nanoagent.conf (created if missing)", Required = true };
        var listener = new Option<string>("--listener")
        {
            Description = "the listener of nanoagent.conf: a port and optionally an address, e.g. '1883' or '1883 127.0.0.1'",
            DefaultValueFactory = _ => MosquittoAccessFiles.DefaultListener,
        };
        var json = new Option<bool>("--json") { Description = "print the files written as JSON (docs/json.md)" };
        var command = new Command(
            "acl",
            "Write a mosquitto password_file, acl_file and nanoagent.conf (use_username_as_clientid: a client id bound to its login) enforcing the same per-tenant rules as the embedded broker.");
        command.Add(tenants);
        command.Add(users);
        command.Add(output);
        command.Add(listener);
        command.Add(json);
        command.SetAction(parse =>
        {
            TextWriter text = parse.InvocationConfiguration.Output;
            if (!System.Text.RegularExpressions.Regex.IsMatch(parse.GetValue(listener)!, @"^[0-9]{1,5}( [0-9A-Za-z.:\[\]-]+)?$"))
            {
                parse.InvocationConfiguration.Error.WriteLine($"--listener '{parse.GetValue(listener)}' is not a port and an optional address (e.g. '1883' or '1883 127.0.0.1')");
                return ExitCodes.Usage;
            }

            BrokerAccessPolicy? policy = LoadPolicy(parse.GetValue(tenants), parse.GetValue(users), parse.InvocationConfiguration.Error);
            if (policy is null)
            {
                return ExitCodes.Usage;
            }

            (string Passwords, string Acl, string Config) files;
            try
            {
                files = MosquittoAccessFiles.Write(policy, parse.GetValue(output)!, parse.GetValue(listener)!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The folder named by --out cannot be used: bad input, like any unusable file (exit 2).
                parse.InvocationConfiguration.Error.WriteLine($"error: {parse.GetValue(output)}: cannot write the mosquitto files: {e.Message}");
                return ExitCodes.Usage;
            }

            text.WriteLine($"wrote {files.Passwords} ({policy.Grants.Count(g => g.User.PasswordHash != null)} users with a password) and {files.Acl} ({policy.Grants.Count} users, devices {string.Join(", ", policy.Devices)})");
            text.WriteLine($"wrote {files.Config}: allow_anonymous false, both files, and use_username_as_clientid true on listener {parse.GetValue(listener)}");
            text.WriteLine("  (each client id becomes its user name, so no login can take another's connection, the agent's included)");
            text.WriteLine("put it in /etc/mosquitto/conf.d/ and give the three files to the mosquitto user (mode 600)");
            text.WriteLine("  # client certificates instead of passwords, on a TLS listener: require_certificate true + use_identity_as_username true + use_username_as_clientid true");
            if (parse.GetValue(json))
            {
                JsonReport.Write(text, "broker acl", ExitCodes.Ok, new
                {
                    PasswordFile = Path.GetFullPath(files.Passwords), AclFile = Path.GetFullPath(files.Acl), ConfigFile = Path.GetFullPath(files.Config),
                    Users = policy.Grants.Count, UsersWithPassword = policy.Grants.Count(g => g.User.PasswordHash != null), policy.Devices,
                });
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildPasswd()
    {
        var name = new Argument<string>("name") { Description = "the user name (with client certificates: the certificate's CN)" };
        var role = new Argument<string>("role") { Description = "agent, tenant, owner or provision" };
        var scope = new Argument<string>("scope") { Description = "the device id (agent; provision: or *) or the tenant id (tenant, owner)" };
        var iterations = new Option<int>("--iterations") { Description = "PBKDF2-SHA512 iterations", DefaultValueFactory = _ => MosquittoPasswordHash.DefaultIterations };
        var passwordFile = new Option<string?>("--password-file") { Description = "read the password from this file's first line instead of standard input" };
        var command = new Command("passwd", "Read a password from standard input (one line) and print the users file line with its $7$ hash; the password is never printed.");
        command.Add(name);
        command.Add(role);
        command.Add(scope);
        command.Add(iterations);
        command.Add(passwordFile);
        command.SetAction(parse =>
        {
            string? password;
            try
            {
                password = parse.GetValue(passwordFile) is { } file ? File.ReadLines(file).FirstOrDefault() : Console.In.ReadLine();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"cannot read the password: {e.Message}");
                return ExitCodes.Usage;
            }

            if (string.IsNullOrEmpty(password))
            {
                parse.InvocationConfiguration.Error.WriteLine("no password on standard input (e.g. read -rs PW; printf '%s\\n' \"$PW\" | nanoagent broker passwd ...)");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(iterations) < 1)
            {
                parse.InvocationConfiguration.Error.WriteLine("--iterations must be at least 1");
                return ExitCodes.Usage;
            }

            string line = $"{parse.GetValue(name)} {parse.GetValue(role)} {parse.GetValue(scope)} {MosquittoPasswordHash.Create(password, parse.GetValue(iterations))}";
            try
            {
                BrokerUserFile.Parse(line);
            }
            catch (FormatException e)
            {
                parse.InvocationConfiguration.Error.WriteLine(e.Message.Replace("users file line 1", "this user", StringComparison.Ordinal));
                return ExitCodes.Usage;
            }

            parse.InvocationConfiguration.Output.WriteLine(line);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Loads the access rules from a tenants file and a users file; problems are written to <paramref name="error"/>.</summary>
    /// <param name="tenantsPath">The tenants file.</param>
    /// <param name="usersPath">The broker users file.</param>
    /// <param name="error">Where problems go.</param>
    /// <returns>The policy, or null (exit code 2).</returns>
    internal static BrokerAccessPolicy? LoadPolicy(string? tenantsPath, string? usersPath, TextWriter error)
    {
        if (tenantsPath is null || usersPath is null)
        {
            error.WriteLine("the broker users file and the tenants file go together (--users/--broker-users with --tenants)");
            return null;
        }

        try
        {
            TenantRegistry registry = TenantRegistry.Parse(File.ReadAllText(tenantsPath));
            return BrokerAccessPolicy.Build(BrokerUserFile.Load(usersPath), registry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"cannot read: {e.Message}");
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"tenants file '{tenantsPath}': {e.Message}");
        }
        catch (FormatException e)
        {
            error.WriteLine(e.Message);
        }

        return null;
    }

    private static void WriteLine(TextWriter output, string line)
    {
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
