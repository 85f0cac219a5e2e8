using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Common;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Backend;

/// <summary>Everything <c>nanoagent backend run</c> was asked to do, already read from the command line.</summary>
public sealed class BackendRunRequest
{
    /// <summary>Gets the script file path.</summary>
    public required string ScriptPath { get; init; }

    /// <summary>Gets the tenant key file path.</summary>
    public required string KeysPath { get; init; }

    /// <summary>Gets the tenant's request key file path (a key set of version '60'-'6F', docs/protocol.md §3.9).</summary>
    public required string RequestKeyPath { get; init; }

    /// <summary>Gets a value indicating whether the first request clears the relay's EXTERNAL AUTHENTICATE guard.</summary>
    public bool ResetAuthGuard { get; init; }

    /// <summary>Gets the tenant whose guard the owner clears, or null.</summary>
    public string? ResetAuthGuardOf { get; init; }

    /// <summary>Gets the broker address text (<c>mqtt://host:port</c>).</summary>
    public string Broker { get; init; } = "mqtt://127.0.0.1:1883";

    /// <summary>Gets the broker user name, or null.</summary>
    public string? User { get; init; }

    /// <summary>Gets the broker password, or null.</summary>
    public string? Password { get; init; }

    /// <summary>Gets the broker TLS settings (CA file, client certificate), or null for the defaults.</summary>
    public NanoAgent.Host.Mqtt.MqttNetSettings? Mqtt { get; init; }

    /// <summary>Gets the device id.</summary>
    public required string Device { get; init; }

    /// <summary>Gets the tenant id.</summary>
    public required string Tenant { get; init; }

    /// <summary>Gets the SD AID in hex, or null to take the script's <c>sd</c> line.</summary>
    public string? Sd { get; init; }

    /// <summary>Gets the logical channel the commands are written for (obsolete option, default 0; docs/protocol.md §4.3).</summary>
    public int Channel { get; init; }

    /// <summary>Gets the file to write the pre-computed request to instead of sending it (<see cref="PrecomputedRequest"/>), or null.</summary>
    public string? OutPath { get; init; }

    /// <summary>Gets the mode: <c>interactive</c>, <c>batch</c> or <c>plain</c>.</summary>
    public string Mode { get; init; } = "interactive";

    /// <summary>Gets the security level in hex.</summary>
    public string Level { get; init; } = "33";

    /// <summary>Gets a value indicating whether to use S16 mode.</summary>
    public bool S16 { get; init; }

    /// <summary>Gets the state file path, or null for the default.</summary>
    public string? StatePath { get; init; }

    /// <summary>Gets the sequence counter override for batch mode, or null.</summary>
    public int? Counter { get; init; }

    /// <summary>Gets the timeout per answer, in seconds.</summary>
    public int TimeoutSeconds { get; init; } = 30;

    /// <summary>Gets the file the steps' whole response data is written to (one line each: step name, hex), or null.</summary>
    public string? SaveDataPath { get; init; }

    /// <summary>Gets a value indicating whether to only print the APDUs.</summary>
    public bool DryRun { get; init; }

    /// <summary>Gets a value indicating whether the report is printed as the JSON envelope (docs/json.md) instead of a table.</summary>
    public bool Json { get; init; }

    /// <summary>Runs the request: loads the files, connects, runs, prints the report.</summary>
    /// <param name="output">Normal output.</param>
    /// <param name="error">Errors.</param>
    /// <returns>The exit code: 0 every step as expected, 1 failed, 2 usage, 3 broker or device unreachable.</returns>
    public int Execute(TextWriter output, TextWriter error)
    {
        try
        {
            return ExecuteOrThrow(output);
        }
        catch (BackendException e)
        {
            error.WriteLine(e.ExitCode == 2 ? "error: " + e.Message : e.Message);
            return e.ExitCode;
        }
        catch (ScriptFileException e)
        {
            error.WriteLine("error: " + e.Message);
            return 2;
        }
    }

    private int ExecuteOrThrow(TextWriter output)
    {
        if (Mode is not ("interactive" or "batch" or "plain"))
        {
            throw new BackendException(2, $"--mode is 'interactive', 'batch' or 'plain', not '{Mode}'");
        }

        if (OutPath is not null && (DryRun || Mode == "interactive"))
        {
            throw new BackendException(2, DryRun ? "--out writes the request, --dry-run prints it: give one of them" : "--out writes a pre-computed request: give --mode batch (an SCP03 session) or --mode plain");
        }

        if (!byte.TryParse(Level, System.Globalization.NumberStyles.HexNumber, null, out byte level))
        {
            throw new BackendException(2, $"--level is one hex byte (e.g. 33), not '{Level}'");
        }

        if (!NanoAgent.Agent.Tenants.Tenant.IsValidId(Tenant) || !NanoAgent.Agent.Tenants.Tenant.IsValidId(Device.Length <= 32 ? Device : Device[..32]))
        {
            throw new BackendException(2, "--device and --tenant are identifiers: A-Z a-z 0-9 . _ - (tenant up to 32, device up to 64 characters)");
        }

        if (Channel is < 0 or > 19)
        {
            throw new BackendException(2, "--channel is 0 to 19");
        }

        if (TenantKeyFile.IsInitialKeySet(KeysPath))
        {
            // GPC v2.3.1 §7.5 / Amd D: the initial key set is the issuer's (often the public test keys); an owner takes the card
            // over by adding its own key set and deleting this one, which backend rotate-keys does through the agent.
            ScriptFile first = ScriptFile.Load(ScriptPath, TenantKeyFile.Load(KeysPath, allowInitialKeyVersion: true));
            throw new BackendException(2, BackendRotateRequest.Advice(KeysPath, Device, Tenant, Sd ?? (first.SecurityDomain is { } aid ? Convert.ToHexString(aid) : null), Broker));
        }

        Scp03StaticKeys keys = TenantKeyFile.Load(KeysPath);
        ScriptFile script = ScriptFile.Load(ScriptPath, keys);
        Scp03StaticKeys requestKeys = TenantKeyFile.Load(RequestKeyPath, kind: TenantKeyFile.RequestKind);
        if (!NanoAgent.Drivers.Lifecycle.RequestKey.IsRequestKeyVersion(requestKeys.KeyVersion))
        {
            throw new BackendException(2, $"{RequestKeyPath}: a request key set has a key version 60 to 6F, not {requestKeys.KeyVersion:X2}");
        }

        byte[] sd = ScriptSecurityDomain.Resolve(Sd, script, ScriptPath);
        bool se05x = sd.AsSpan().SequenceEqual(NanoAgent.Agent.Tenants.Tenant.AppletAid());

        // docs/protocol.md §4.6: an SE05x tenant's key is its authentication object's, used with key version 00.
        byte[]? authKey = se05x ? TenantKeyFile.LoadSe05x(KeysPath) : null;
        var options = new BackendOptions
        {
            Device = Device, Tenant = Tenant, Sd = sd, Channel = se05x ? 0 : Channel, Level = level, S16 = S16,
            Timeout = TimeSpan.FromSeconds(Math.Max(1, TimeoutSeconds)), SequenceCounter = Counter,
            RequestKeys = requestKeys, ResetAuthGuard = ResetAuthGuard, ResetAuthGuardOf = ResetAuthGuardOf, Se05xAuthKey = authKey,
        };
        BackendState state = BackendState.Load(StatePath ?? BackendState.DefaultPath(Tenant));
        output.WriteLine($"tenant {Tenant} on {Device}: SD {Convert.ToHexString(sd)}, key set {keys}, level {level:X2}, {Mode}");
        if (DryRun)
        {
            return PrintDryRun(new TenantBackend(null, options, keys, state, output), keys, script, output);
        }

        if (OutPath is not null)
        {
            PrecomputedRequest.Written written = PrecomputedRequest.Write(new TenantBackend(null, options, keys, state, output), options, state, script, Mode == "plain", OutPath, output);
            if (Json)
            {
                JsonReport.Write(output, "backend run", 0, JsonData(sd, keys, level, [], null, written.SequenceCounter, 0, null, written));
            }

            return 0;
        }

        if (!MqttBrokerAddress.TryParse(Broker, out MqttBrokerAddress? address) || address is null)
        {
            throw new BackendException(2, $"--broker '{Broker}' is not a broker address (mqtt://host:port or mqtts://host:port)");
        }

        using BackendLink link = BackendLink.Connect(address, User, Password, Device, Tenant, Mqtt);
        var backend = new TenantBackend(link, options, keys, state, output);
        BackendReport report = Mode switch
        {
            "batch" => backend.RunBatch(script),
            "plain" => backend.RunPlain(script),
            _ => backend.RunInteractive(script),
        };
        if (link.Resends > 0)
        {
            output.WriteLine($"{link.Resends} request(s) sent again, same bytes, after silence or a broker reconnect (docs/reliability.md)");
        }

        if (Json)
        {
            JsonReport.Write(output, "backend run", report.ExitCode, JsonData(sd, keys, level, report.Steps.Select(StepJson), null, null, link.Resends, report));
            return report.ExitCode;
        }

        report.Print(output);
        if (SaveDataPath is not null)
        {
            // The table cuts long data; the file keeps it whole (an SE05x attestation key's public part, for example).
            File.WriteAllLines(SaveDataPath, report.Steps.Where(s => s.Data is { Length: > 0 }).Select(s => $"{s.Name} {Convert.ToHexString(s.Data!)}"));
        }

        return report.ExitCode;
    }

    private int PrintDryRun(TenantBackend backend, Scp03StaticKeys keys, ScriptFile script, TextWriter output)
    {
        BatchPlan plan;
        try
        {
            plan = backend.PrepareBatch(script);
        }
        catch (BackendException) when (Counter is null)
        {
            // The counter is unknown yet: show the session as it would be for counter 1.
            output.WriteLine("(the SD's sequence counter is not known yet: shown for counter 1)");
            plan = new TenantBackend(null, new BackendOptions
            {
                Device = Device, Tenant = Tenant, Sd = ScriptSecurityDomain.Resolve(Sd, script, ScriptPath), Channel = Channel, Level = byte.Parse(Level, System.Globalization.NumberStyles.HexNumber),
                S16 = S16, SequenceCounter = 1,
            }, TenantKeyFile.Load(KeysPath), new BackendState(), output).PrepareBatch(script);
        }

        if (Mode == "interactive")
        {
            output.WriteLine("(interactive: the host challenge is fresh and the card's challenge comes from the card, so the wrapped bytes differ; shown as a pre-computed session)");
        }

        output.WriteLine($"dry run: {plan.Wire.Count} APDUs for sequence counter {plan.SequenceCounter}; nothing is sent");
        plan.PrintApdus(output);
        if (Json)
        {
            var apdus = Enumerable.Range(0, plan.Wire.Count).Select(i => new
            {
                Name = plan.Names[i], Clear = Convert.ToHexString(plan.Plain[i]), Wrapped = Convert.ToHexString(plan.Wire[i]), Expect = plan.Expected[i],
            });
            JsonReport.Write(output, "backend run", 0, JsonData(plan.Options.Sd, keys, plan.Options.Level, [], apdus, plan.SequenceCounter, 0, null));
        }

        return 0;
    }

    // The data of backend run --json (docs/json.md): the same fields for a run and a dry run (steps for one, apdus for the other).
    private object JsonData(byte[] sd, Scp03StaticKeys keys, byte level, IEnumerable<object> steps, IEnumerable<object>? apdus, int? counter, int resends, BackendReport? report, PrecomputedRequest.Written? written = null) => new
    {
        Tenant, Device, Sd = Convert.ToHexString(sd), Channel, Mode, KeySet = keys.ToString(), Level = level.ToString("X2"), DryRun = report is null && written is null,
        SequenceCounter = counter, Steps = steps, Apdus = apdus ?? [], Resends = resends,
        Succeeded = report?.Succeeded ?? true, Failure = report?.Failure,
        Written = written is null ? null : new { written.File, written.ScriptId, written.TenantCounter, written.Bytes },
    };

    private static object StepJson(StepReport s) => new
    {
        s.Index, s.Name, Command = Convert.ToHexString(s.Command), s.Expected, Sw = s.Sw?.ToString("X4"),
        Data = s.Data is null ? null : Convert.ToHexString(s.Data), s.Passed, Note = s.Note.Length == 0 ? null : s.Note,
    };
}
