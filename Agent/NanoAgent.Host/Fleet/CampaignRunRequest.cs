using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Common;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Fleet;

/// <summary>
/// <c>nanoagent backend campaign run</c>: one worker. Start as many as wanted, on as many machines, against one database
/// (PostgreSQL; SQLite for workers on one machine): they share the campaign's limits and take over each other's devices.
/// </summary>
public sealed class CampaignRunRequest
{
    /// <summary>Gets the campaign name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the <c>--db</c> text.</summary>
    public required string Db { get; init; }

    /// <summary>Gets the tenant key file (the same key set on every device), unless <see cref="KeySource"/> is given.</summary>
    public string? KeysPath { get; init; }

    /// <summary>Gets a per-device key source (diversified keys) to use instead of <see cref="KeysPath"/>, or null.</summary>
    public IDeviceKeySource? KeySource { get; init; }

    /// <summary>Gets the tenant's master key (a key file or a <c>pkcs11:</c> URI) for per-device keys, instead of <see cref="KeysPath"/>.</summary>
    public string? MasterKey { get; init; }

    /// <summary>Gets the request key file.</summary>
    public required string RequestKeyPath { get; init; }

    /// <summary>Gets the broker address text.</summary>
    public string Broker { get; init; } = "mqtt://127.0.0.1:1883";

    /// <summary>Gets the broker user, or null.</summary>
    public string? User { get; init; }

    /// <summary>Gets the broker password, or null.</summary>
    public string? Password { get; init; }

    /// <summary>Gets TLS settings, or null.</summary>
    public MqttNetSettings? Mqtt { get; init; }

    /// <summary>Gets how many devices this worker runs at once, or 0 for the campaign's in-flight limit.</summary>
    public int Parallel { get; init; }

    /// <summary>Gets a value indicating whether to resume an aborted campaign first.</summary>
    public bool Resume { get; init; }

    /// <summary>Gets this worker's id, or null for host:pid:random.</summary>
    public string? WorkerId { get; init; }

    /// <summary>Gets how often the progress line is printed.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets a value indicating whether to print the outcome in the JSON envelope instead of progress lines.</summary>
    public bool Json { get; init; }

    /// <summary>Runs the worker until the campaign needs it no more, or <paramref name="stop"/>.</summary>
    /// <param name="output">Progress lines.</param>
    /// <param name="error">Errors.</param>
    /// <param name="stop">Cancelled by SIGTERM/SIGINT.</param>
    /// <returns>0 every device succeeded (or was cancelled) or stopped by a signal, 1 a device did not succeed or the
    /// campaign aborted, 2 bad input, 3 database or broker unreachable.</returns>
    public int Execute(TextWriter output, TextWriter error, CancellationToken stop)
    {
        try
        {
            return Run(output, stop);
        }
        catch (FleetStoreException e)
        {
            error.WriteLine(e.ExitCode == 2 ? "error: " + e.Message : e.Message);
            return e.ExitCode;
        }
        catch (BackendException e)
        {
            error.WriteLine(e.ExitCode == 2 ? "error: " + e.Message : e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is InputFileException or ScriptFileException)
        {
            error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
    }

    private int Run(TextWriter output, CancellationToken stop)
    {
        TextWriter text = Json ? TextWriter.Null : output;
        var store = new CampaignStore(FleetDatabase.Open(Db, create: false));
        CampaignRecord campaign = store.Get(Name);
        string worker = WorkerId ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..4]}";
        using IDeviceKeySource keys = KeySource ?? OpenKeys(campaign.Definition);
        if (campaign.State == CampaignState.Aborted)
        {
            if (!Resume)
            {
                text.WriteLine($"campaign {Name} is aborted ({campaign.StateReason}): run again with --resume to go on");
                return Report(output, store, campaign, worker, WorkerStats.Measure(0), stopped: false, ExitCodes.Failed);
            }

            store.Resume(Name);
        }

        CampaignDefinition definition = campaign.Definition;
        ScriptFile script = ScriptFile.Parse(definition.ScriptText, definition.ScriptName);
        Scp03StaticKeys requestKeys = TenantKeyFile.Load(RequestKeyPath);
        if (!NanoAgent.Drivers.Lifecycle.RequestKey.IsRequestKeyVersion(requestKeys.KeyVersion))
        {
            throw new BackendException(2, $"{RequestKeyPath}: a request key set has a key version 60 to 6F, not {requestKeys.KeyVersion:X2}");
        }

        if (!MqttBrokerAddress.TryParse(Broker, out MqttBrokerAddress? address) || address is null)
        {
            throw new BackendException(2, $"--broker '{Broker}' is not a broker address (mqtt://host:port or mqtts://host:port)");
        }

        using FleetConnection broker = FleetConnection.Connect(address, User, Password, Mqtt, definition.Tenant);
        var context = new CampaignContext
        {
            Campaign = definition, Script = script, Keys = keys, RequestKeys = requestKeys,
            Work = new DeviceWork(store.Database, Name, worker), Broker = broker,
        };
        int slots = Parallel > 0 ? Parallel : Math.Min(definition.Rules.MaxInFlight, 256);
        text.WriteLine($"worker {worker}: campaign {Name} ({campaign.DeviceCount} devices, {definition.Mode}, tenant {definition.Tenant}) " +
            $"on {store.Database.Display}, broker {address}, {slots} at a time; keys: {keys.Description}");
        var run = new CampaignWorker(context, slots, text) { ProgressInterval = ProgressInterval };
        CampaignRecord end = run.Run(stop);
        WorkerStats stats = WorkerStats.Measure(run.Handled);
        text.WriteLine($"campaign {Name}: {CampaignStore.StateName(end.State)}" + (end.StateReason is null ? string.Empty : $" ({end.StateReason})"));
        text.WriteLine(stats.Line);
        bool stopped = stop.IsCancellationRequested;
        int exit = !stopped && (end.State == CampaignState.Aborted || end.Failures > 0) ? ExitCodes.Failed : ExitCodes.Ok;
        return Report(output, store, end, worker, stats, stopped, exit);
    }

    // The envelope with --json: the campaign's devices per state once this worker is done, whether it aborted.
    private int Report(TextWriter output, CampaignStore store, CampaignRecord end, string worker, WorkerStats stats, bool stopped, int exit)
    {
        if (Json)
        {
            JsonReport.Write(output, "backend campaign run", exit, new
            {
                name = Name, worker, state = CampaignStore.StateName(end.State), reason = end.StateReason, aborted = end.State == CampaignState.Aborted,
                stopped, handled = stats.DevicesFinished, counts = CampaignJson.Counts(store.CountByState(Name)),
                cpuMilliseconds = stats.CpuMilliseconds, peakRssKilobytes = stats.PeakRssKilobytes,
            });
        }

        return exit;
    }

    private IDeviceKeySource OpenKeys(CampaignDefinition definition)
    {
        if (MasterKey is null)
        {
            return SameKeys(definition);
        }

        return KeysPath is null
            ? MasterKeyOption.Open(MasterKey, definition.KeyVersion).Source
            : throw new BackendException(2, "give either --keys (the same keys on every device) or --master-key (per-device keys)");
    }

    private SameKeysForEveryDevice SameKeys(CampaignDefinition definition)
    {
        string path = KeysPath ?? throw new BackendException(2, "give the tenant's key file (--keys FILE) or master key (--master-key FILE|pkcs11:URI)");
        Scp03StaticKeys keys = TenantKeyFile.Load(path);
        if (keys.KeyVersion != definition.KeyVersion)
        {
            throw new BackendException(2, $"{path}: key version {keys.KeyVersion:X2}, but campaign {definition.Name} runs key version {definition.KeyVersion:X2}");
        }

        return new SameKeysForEveryDevice(keys, path);
    }
}
