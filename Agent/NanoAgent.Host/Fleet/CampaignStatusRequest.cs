using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Fleet;

/// <summary><c>nanoagent backend campaign status</c>: the campaign's state, rules, devices per state and workers, as a
/// table or in the <c>--json</c> envelope. Reads only.</summary>
public sealed class CampaignStatusRequest
{
    /// <summary>Gets the campaign name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the <c>--db</c> text.</summary>
    public required string Db { get; init; }

    /// <summary>Gets a value indicating whether to print JSON.</summary>
    public bool Json { get; init; }

    /// <summary>Runs the request.</summary>
    /// <param name="output">Normal output.</param>
    /// <param name="error">Errors.</param>
    /// <returns>0, 2 unknown campaign or bad database, 3 unreachable.</returns>
    public int Execute(TextWriter output, TextWriter error)
    {
        try
        {
            var store = new CampaignStore(FleetDatabase.Open(Db, create: false));
            CampaignRecord c = store.Get(Name);
            Dictionary<DeviceState, long> counts = store.CountByState(Name);
            (Dictionary<string, long> workers, long lastMinute) = store.Activity(Name);
            CampaignDefinition d = c.Definition;
            RolloutRules r = d.Rules;
            if (Json)
            {
                JsonReport.Write(output, "backend campaign status", ExitCodes.Ok, new
                {
                    name = d.Name, state = CampaignStore.StateName(c.State), reason = c.StateReason, tenant = d.Tenant, sd = Convert.ToHexString(d.Sd),
                    channel = d.Channel, mode = d.Mode, keyVersion = d.KeyVersion.ToString("X2"), script = d.ScriptName, devices = c.DeviceCount,
                    counts = CampaignJson.Counts(counts), rules = CampaignJson.Rules(r),
                    workers, startedLastMinute = lastMinute, createdMs = c.CreatedMs, updatedMs = c.UpdatedMs,
                });
                return ExitCodes.Ok;
            }

            output.WriteLine($"campaign {d.Name}: {CampaignStore.StateName(c.State)}" + (c.StateReason is null ? string.Empty : $" ({c.StateReason})"));
            output.WriteLine($"  tenant {d.Tenant}, SD {Convert.ToHexString(d.Sd)}, channel {d.Channel}, {d.Mode}, key version {d.KeyVersion:X2}, script {d.ScriptName}, {c.DeviceCount} devices");
            output.WriteLine($"  rules: at most {r.MaxInFlight} in flight" + (r.MaxPerMinute > 0 ? $", {r.MaxPerMinute} started a minute" : string.Empty) +
                $"; abort above {r.AbortPercent} % failures after {r.AbortMinDevices} devices; {r.DeviceTimeout.TotalSeconds:0} s a device; " +
                $"{r.MaxAttempts} attempts, retry after {r.RetryBase.TotalSeconds:0} s doubling to {r.RetryMax.TotalSeconds:0} s; lease {r.Lease.TotalSeconds:0} s");
            output.WriteLine();
            output.WriteLine($"  {"state",-12} {"devices",8}");
            foreach (DeviceState s in DeviceStates.All)
            {
                output.WriteLine($"  {s.Name(),-12} {counts[s],8}");
            }

            output.WriteLine();
            output.WriteLine(workers.Count == 0
                ? "  no worker holds a device now"
                : "  workers: " + string.Join(", ", workers.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key} ({w.Value} in flight)")));
            output.WriteLine($"  started in the last minute: {lastMinute}");
            return ExitCodes.Ok;
        }
        catch (FleetStoreException e)
        {
            error.WriteLine(e.ExitCode == 2 ? "error: " + e.Message : e.Message);
            return e.ExitCode;
        }
    }
}
