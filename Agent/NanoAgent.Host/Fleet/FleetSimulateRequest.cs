using System.Text.Json;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Common;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Fleet;

/// <summary><c>nanoagent fleet simulate</c>: N simulated devices against a broker until SIGTERM/SIGINT (or a time), then a
/// summary of what reached each device's SE.</summary>
public sealed class FleetSimulateRequest
{
    /// <summary>Gets the number of devices.</summary>
    public required int Devices { get; init; }

    /// <summary>Gets the device id prefix.</summary>
    public string Prefix { get; init; } = "sim-";

    /// <summary>Gets the first device number.</summary>
    public int First { get; init; } = 1;

    /// <summary>Gets the tenant id.</summary>
    public required string Tenant { get; init; }

    /// <summary>Gets the SD AID in hex.</summary>
    public string Sd { get; init; } = "A0000001515350410A";

    /// <summary>Gets the tenant's logical channel.</summary>
    public int Channel { get; init; }

    /// <summary>Gets the tenant key file put on every device's SD (unless <see cref="KeySource"/>).</summary>
    public string? KeysPath { get; init; }

    /// <summary>Gets a per-device key source (diversified keys), or null.</summary>
    public IDeviceKeySource? KeySource { get; init; }

    /// <summary>Gets the key version when <see cref="KeySource"/> is given (or a token's <see cref="MasterKey"/>).</summary>
    public byte? KeyVersion { get; init; }

    /// <summary>Gets the tenant's master key (a key file or a <c>pkcs11:</c> URI): each device's SD gets its own diversified keys, as a factory would give it.</summary>
    public string? MasterKey { get; init; }

    /// <summary>Gets the tenant's request key file.</summary>
    public required string RequestKeyPath { get; init; }

    /// <summary>Gets the broker address text, or null with <see cref="EmbeddedBrokerPort"/>.</summary>
    public string? Broker { get; init; }

    /// <summary>Gets the port of an embedded broker to start (0 = any free port), or null.</summary>
    public int? EmbeddedBrokerPort { get; init; }

    /// <summary>Gets TLS settings, or null.</summary>
    public MqttNetSettings? Mqtt { get; init; }

    /// <summary>Gets the file of the secret the devices' broker passwords are derived from, or null for no login.</summary>
    public string? DeviceSecretPath { get; init; }

    /// <summary>Gets how long to run (null: until a signal).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Gets how long each SE command takes, in milliseconds.</summary>
    public int SeLatencyMilliseconds { get; init; }

    /// <summary>Gets a file to write the per-device summary to (JSON), or null.</summary>
    public string? SummaryPath { get; init; }

    /// <summary>Runs the simulator.</summary>
    /// <param name="output">Progress lines.</param>
    /// <param name="error">Errors.</param>
    /// <param name="stop">Cancelled by SIGTERM/SIGINT.</param>
    /// <returns>0 stopped cleanly, 1 the broker refused a device's login, 2 bad input, 3 broker unreachable or the embedded broker's port in use.</returns>
    public int Execute(TextWriter output, TextWriter error, CancellationToken stop)
    {
        EmbeddedBroker? embedded = null;
        IDeviceKeySource? opened = null;
        try
        {
            if (Devices is < 1 or > 100_000)
            {
                throw new BackendException(2, "--devices is 1 to 100000");
            }

            if (SeLatencyMilliseconds is < 0 or > 10_000)
            {
                throw new BackendException(2, "--se-latency-ms is 0 to 10000");
            }

            if (!DeviceListFits())
            {
                throw new BackendException(2, $"--prefix '{Prefix}' makes device ids that are not identifiers (1 to 64 of A-Z a-z 0-9 . _ -)");
            }

            SimulatedTenant tenant = BuildTenant();
            opened = KeySource is null ? tenant.Keys : null;
            output.WriteLine($"keys: {tenant.Keys.Description}");
            byte[]? secret = DeviceSecretPath is null ? null : InputFile.ReadBytes(DeviceSecretPath, "device secret file");
            MqttBrokerAddress address;
            if (EmbeddedBrokerPort is int port)
            {
                embedded = new EmbeddedBroker(port);
                try
                {
                    embedded.Start();
                }
                catch (MqttConnectionException e)
                {
                    // The port is in use: a resource the command could not get, like agent --embedded-broker (exit 3).
                    throw new BackendException(3, e.Message);
                }
                address = embedded.Address;
                output.WriteLine($"broker: embedded at {address}");
            }
            else if (!MqttBrokerAddress.TryParse(Broker ?? "mqtt://127.0.0.1:1883", out MqttBrokerAddress? parsed) || parsed is null)
            {
                throw new BackendException(2, $"--broker '{Broker}' is not a broker address (mqtt://host:port or mqtts://host:port)");
            }
            else
            {
                address = parsed;
            }

            GC.Collect();
            long rssBefore = WorkerStats.ProcStatus("VmRSS"), heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            using FleetSimulator simulator = FleetSimulator.Start(new FleetSimulatorOptions
            {
                Devices = Devices, Prefix = Prefix, FirstIndex = First, Tenant = tenant, Broker = address, Mqtt = Mqtt, PasswordSecret = secret,
                SeLatency = TimeSpan.FromMilliseconds(SeLatencyMilliseconds),
                Pumps = SeLatencyMilliseconds > 0 ? Math.Clamp(Devices, 2, 64) : Math.Max(2, Environment.ProcessorCount),
            }, output);
            long heapAfter = GC.GetTotalMemory(forceFullCollection: true), rssAfter = WorkerStats.ProcStatus("VmRSS");
            output.WriteLine($"fleet: memory for {Devices} devices: {(rssAfter - rssBefore) / 1024.0:0.0} MB resident ({(rssAfter - rssBefore) * 1024.0 / Devices / 1024:0.0} KB a device), " +
                $"{(heapAfter - heapBefore) / 1024.0 / 1024:0.0} MB managed heap ({(heapAfter - heapBefore) / 1024.0 / Devices:0.0} KB a device)");
            output.WriteLine($"fleet-stats: devices={Devices} rss_kb={rssAfter} rss_per_device_kb={(rssAfter - rssBefore) / (double)Devices:0.0} heap_per_device_kb={(heapAfter - heapBefore) / 1024.0 / Devices:0.0}");
            stop.WaitHandle.WaitOne(Duration ?? Timeout.InfiniteTimeSpan);
            WriteSummary(simulator, tenant, output);
            output.WriteLine($"fleet: stopping ({simulator.Faults} fault(s) in device runs)");
            return ExitCodes.Ok;
        }
        catch (BackendException e)
        {
            error.WriteLine(e.ExitCode == 2 ? "error: " + e.Message : e.Message);
            return e.ExitCode;
        }
        catch (InputFileException e)
        {
            error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
        catch (MqttConnectionRefusedException e)
        {
            error.WriteLine($"the broker refused a device's login: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (MqttConnectionException e)
        {
            error.WriteLine($"cannot reach the broker: {e.Message}");
            return ExitCodes.NoDevice;
        }
        finally
        {
            opened?.Dispose();
            embedded?.Dispose();
        }
    }

    private bool DeviceListFits() =>
        NanoAgent.Fleet.DeviceList.IsValidDeviceId(FleetSimulator.DeviceId(Prefix, First + Devices - 1, First + Devices - 1)) && First >= 0;

    private SimulatedTenant BuildTenant()
    {
        if (!NanoAgent.Agent.Tenants.Tenant.IsValidId(Tenant))
        {
            throw new BackendException(2, "--tenant is an identifier: 1 to 32 of A-Z a-z 0-9 . _ -");
        }

        byte[] sd;
        try
        {
            sd = Convert.FromHexString(Sd);
        }
        catch (FormatException)
        {
            throw new BackendException(2, $"--sd '{Sd}' is not hex");
        }

        Scp03StaticKeys requestKeys = TenantKeyFile.Load(RequestKeyPath);
        IDeviceKeySource keys;
        byte kvn;
        if (KeySource is not null)
        {
            keys = KeySource;
            kvn = KeyVersion ?? throw new BackendException(2, "a key source needs its key version");
        }
        else if (MasterKey is not null)
        {
            (keys, kvn) = KeysPath is null
                ? MasterKeyOption.Open(MasterKey, KeyVersion)
                : throw new BackendException(2, "give either --keys (the same keys on every device) or --master-key (per-device keys)");
        }
        else
        {
            string path = KeysPath ?? throw new BackendException(2, "give the tenant's key file (--keys FILE) or master key (--master-key FILE|pkcs11:URI)");
            Scp03StaticKeys set = TenantKeyFile.Load(path);
            keys = new SameKeysForEveryDevice(set, path);
            kvn = set.KeyVersion;
        }

        return new SimulatedTenant { Id = Tenant, Sd = sd, Channel = Channel, KeyVersion = kvn, Keys = keys, RequestKeys = requestKeys };
    }

    private void WriteSummary(FleetSimulator simulator, SimulatedTenant tenant, TextWriter output)
    {
        var devices = simulator.Devices.Select(d => new SimulatedDeviceSummary(
            d.Id, Convert.ToHexString(d.Diversification), d.Domain(tenant.Sd)?.SequenceCounter ?? -1, d.Link.Count(0xE2), d.Link.Count(0x50),
            d.Domain(tenant.Sd)?.StoredData.Count ?? 0)).ToList();
        output.WriteLine($"fleet: {devices.Count(d => d.StoreData > 0)} of {devices.Count} devices ran STORE DATA; {devices.Sum(d => d.StoreData)} STORE DATA commands in all");
        if (SummaryPath is not null)
        {
            File.WriteAllText(SummaryPath, JsonSerializer.Serialize(devices, JsonReport.Options));
        }
    }
}
