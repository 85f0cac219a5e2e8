using System.Text;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Gate;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Demo;

/// <summary>
/// What <c>demo --dir D</c> leaves so the rig runs again by hand: the tenants file, the broker users file and each party's
/// password (mode 600), the gate keys and the gates file, a script per party, and <c>D/README.md</c> with the exact commands
/// that start the broker and the agent and run each backend (docs/walkthrough.md does the same from an empty folder).
/// The SCP03 and request key files, the virtual SE, the relay store and the backends' states are already there: the demo
/// itself used them.
/// </summary>
internal static class DemoRig
{
    /// <summary>The parties' passwords are in <c>&lt;user&gt;.pw</c>; the broker users file is this.</summary>
    public const string UsersFile = "broker-users.txt";

    /// <summary>The tenants file.</summary>
    public const string TenantsFile = "tenants.txt";

    /// <summary>Writes the tenants file, the broker users file and one password file per user.</summary>
    public static void WriteAccess(string dir, string tenantsText, DemoBrokerUsers users)
    {
        File.WriteAllText(Path.Combine(dir, TenantsFile), "# id   security domain AID (written by nanoagent demo; each session takes a free logical channel)\n" + tenantsText);
        var lines = new StringBuilder("# name role scope hash (docs/broker-security.md; written by nanoagent demo)\n");
        foreach (var user in users.Users)
        {
            lines.Append($"{user.Name} {user.Role.ToString().ToLowerInvariant()} {user.Scope} {user.PasswordHash}\n");
            WriteSecret(Path.Combine(dir, user.Name + ".pw"), users.Password(user.Name) + "\n");
        }

        WriteSecret(Path.Combine(dir, UsersFile), lines.ToString());
    }

    /// <summary>Writes what D needs besides the logins: the gate keys and gates file, a script per party, and D/README.md.</summary>
    public static void WriteRest(string dir, string device, byte[] acmeGateKey, byte[] betaGateKey)
    {
        WriteGates(dir, [("acme", DemoRunner.GateAcme, acmeGateKey, "relay"), ("beta", DemoRunner.GateBeta, betaGateKey, "valve")]);
        WriteScript(dir, "owner-cplc.apdu", ScriptFile.Parse($"sd {Convert.ToHexString(CardState.DefaultIsdAid)}\n80CA9F7F00\n", "owner-cplc.apdu"), "the owner reads the card's CPLC in its ISD session");
        WriteScript(dir, "acme-data.apdu", DemoScripts.TenantStoresData(DemoRunner.SsdAcme, "acme-data.apdu"), "acme stores and reads back a data object in its own domain");
        WriteScript(dir, "beta-data.apdu", DemoScripts.TenantStoresData(DemoRunner.SsdBeta, "beta-data.apdu"), "beta stores and reads back a data object in its own domain");
        WriteReadme(dir, device,
        [
            ("acme", Convert.ToHexString(DemoRunner.SsdAcme), Convert.ToHexString(DemoRunner.GateAcme), "relay"),
            ("beta", Convert.ToHexString(DemoRunner.SsdBeta), Convert.ToHexString(DemoRunner.GateBeta), "valve"),
        ]);
    }

    /// <summary>Writes each tenant's gate MAC key (hex, mode 600) and the gates file the agent reads with <c>--gates</c>.</summary>
    public static void WriteGates(string dir, IReadOnlyList<(string Tenant, byte[] Gate, byte[] Key, string Actuator)> gates)
    {
        var text = new StringBuilder("# docs/gating.md, \"Declaring gates\" (written by nanoagent demo)\n");
        foreach (var (tenant, gate, key, _) in gates)
        {
            GateKeyFile.Write(Path.Combine(dir, tenant + "-gate.key"), key);
            text.Append($"gate.{tenant} = {Convert.ToHexString(gate)}\n");
        }

        text.Append($"sensor.energy = {string.Join(' ', gates.Select(g => g.Tenant))}\n");
        text.Append("sensor.energy.source = meter energy\n");
        text.Append("sensor.energy.interval_s = 5\n");
        foreach (var (tenant, _, _, actuator) in gates)
        {
            // The command gets the verified command bytes in hex as "$1": it appends them to <actuator>.log in the agent's folder.
            text.Append($"actuator.{actuator} = {tenant}\n");
            text.Append($"actuator.{actuator}.command = echo >> {actuator}.log\n");
        }

        File.WriteAllText(Path.Combine(dir, "gates.conf"), text.ToString());
    }

    /// <summary>Writes a script in the readable format (docs/script-format.md).</summary>
    public static void WriteScript(string dir, string name, ScriptFile script, string comment)
    {
        var text = new StringBuilder($"# {comment} (written by nanoagent demo)\n");
        if (script.SecurityDomain is { } sd)
        {
            text.Append("sd ").Append(Convert.ToHexString(sd)).Append('\n');
        }

        foreach (ScriptFileStep step in script.Steps)
        {
            text.Append(Convert.ToHexString(step.Apdu)).Append(" expect ").Append(step.ExpectationText).Append('\n');
        }

        File.WriteAllText(Path.Combine(dir, name), text.ToString());
    }

    /// <summary>Writes D/README.md.</summary>
    public static void WriteReadme(string dir, string device, IReadOnlyList<(string Tenant, string Sd, string Gate, string Actuator)> tenants)
    {
        string full = Path.GetFullPath(dir);
        string broker = "--broker mqtt://127.0.0.1:$PORT";
        var text = new StringBuilder();
        text.Append($$"""
            # nanoAgent demo rig

            Written by `nanoagent demo --dir` on {{DateTime.UtcNow:yyyy-MM-dd HH:mm}} UTC. Everything the demo used is here: the virtual
            SE (`virtual-se.json`, platform keys `platform-keys.json`), the agent's relay store (`relay-store.json`), device
            `{{device}}`, and per party its broker login (`<user>.pw`, mode 600, listed in `{{UsersFile}}`), its SCP03 key set
            (`<tenant>-keys.json`), its request key set (`<tenant>-request-key.json`, KVN 60), its backend state
            (`backend-<tenant>.json`) and, for the tenants, its gate key (`<tenant>-gate.key`). The owner took its ISD over from
            the card's initial key set (KVN FF) during the demo: its keys are `owner-keys.json`.

            | party | broker user | security domain | gate |
            |---|---|---|---|
            | agent | `{{device}}` | | |
            | owner | `owner` | `A000000151000000` (ISD) | |

            """);
        foreach (var (tenant, sd, gate, _) in tenants)
        {
            text.Append($"| {tenant} | `{tenant}` | `{sd}` | `{gate}` |\n");
        }

        text.Append($$"""

            The commands below run it again by hand, each in its own process (`nanoagent` is the built CLI; from the source tree,
            `dotnet run --project Agent/NanoAgent.Host --` does the same). Start in this folder; set `PORT` first to use another port
            than 1883. A command's expected exit code is noted as `#=> exit N` (0 when nothing is noted), and text it prints as `#=> "..."`.

            ```sh
            cd '{{full.Replace("'", "'\\''", StringComparison.Ordinal)}}'
            PORT=${PORT:-1883}
            ```

            ## The broker

            The embedded broker with every party's login and topic rules (docs/broker-security.md). For mosquitto instead:
            `nanoagent broker acl --tenants {{TenantsFile}} --users {{UsersFile}} --out mosquitto --listener "$PORT 127.0.0.1"` (docs/walkthrough.md).

            ```sh
            nanoagent broker --port $PORT --tenants {{TenantsFile}} --users {{UsersFile}} > broker.log 2>&1 &
            echo $! > broker.pid
            timeout 30 sh -c 'until grep -q "broker listening" broker.log; do sleep 0.2; done'
            ```

            ## The agent

            The relay for every tenant, the SE-signed meter readings (every 5 s, for each tenant) and the actuators (`gates.conf`:
            each appends the verified command to `<actuator>.log` here). Its log shows every run, and every refusal as a `security` line.

            ```sh
            nanoagent agent --tenants {{TenantsFile}} --state virtual-se.json --platform-keys platform-keys.json --store relay-store.json \
                --device {{device}} --owner-tenant owner --gates gates.conf {{broker}} --user {{device}} --password-file {{device}}.pw > agent.log 2>&1 &
            echo $! > agent.pid
            timeout 30 sh -c 'until grep -q "online at" agent.log; do sleep 0.2; done'
            ```

            ## The owner's backend

            A script in the ISD's SCP03 session (GET DATA CPLC):

            ```sh
            nanoagent backend run owner-cplc.apdu {{broker}} --user owner --password-file owner.pw --device {{device}} --tenant owner \
                --keys owner-keys.json --request-key owner-request-key.json --state backend-owner.json   #=> "OK: interactive run"
            ```


            """);
        foreach (var (tenant, _, gate, actuator) in tenants)
        {
            string login = $"{broker} --user {tenant} --password-file {tenant}.pw --device {device} --tenant {tenant}";
            text.Append($$"""
                ## {{tenant}}'s backend

                Run a script in {{tenant}}'s own SCP03 session (interactive; `--mode batch` pre-computes it, `--mode batch --out FILE`
                writes it for a provisioning bundle, docs/script-format.md):

                ```sh
                nanoagent backend run {{tenant}}-data.apdu {{login}} \
                    --keys {{tenant}}-keys.json --request-key {{tenant}}-request-key.json --state backend-{{tenant}}.json   #=> "OK: interactive run"
                ```

                Watch its SE-signed meter readings (each VERIFIED or REJECTED with the reason):

                ```sh
                nanoagent backend watch {{login}} --gate {{gate}} --mac-key-file {{tenant}}-gate.key \
                    --state {{tenant}}-readings.counter --count 1 --duration 60   #=> "VERIFIED"
                ```

                Close its actuator `{{actuator}}` with a command MAC'd by its gate key (the SE verifies it before the agent drives it):

                ```sh
                nanoagent backend actuate {{login}} --gate {{gate}} --mac-key-file {{tenant}}-gate.key \
                    --actuator {{actuator}} --command 01 --counter-file {{tenant}}-commands.counter   #=> "APPLIED"
                ```


                """);
        }

        text.Append("""
            ## Stop

            ```sh
            kill $(cat agent.pid) && timeout 30 tail --pid=$(cat agent.pid) -f /dev/null
            kill $(cat broker.pid) && timeout 30 tail --pid=$(cat broker.pid) -f /dev/null
            tail -n 1 agent.log   #=> "agent stopped (SIGTERM)"
            ```

            (`Ctrl+C` in the terminal of each does the same: each says why it stopped, exit 0.) Run `nanoagent demo` again with a new `--dir` for a fresh SE.

            """);
        File.WriteAllText(Path.Combine(dir, "README.md"), text.ToString().ReplaceLineEndings("\n"));
    }

    private static void WriteSecret(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, new UTF8Encoding(false), options);
        writer.Write(text);
    }
}
