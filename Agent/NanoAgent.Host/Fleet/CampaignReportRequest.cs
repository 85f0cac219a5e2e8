using System.Text.Json;
using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Fleet;

/// <summary><c>nanoagent backend campaign report</c>: every device with its state, tries, sends and verdict (or one device
/// with its step results and state changes), as a table or in the <c>--json</c> envelope. Reads only.</summary>
public sealed class CampaignReportRequest
{
    /// <summary>Gets the campaign name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the <c>--db</c> text.</summary>
    public required string Db { get; init; }

    /// <summary>Gets one device to report in full, or null for all.</summary>
    public string? Device { get; init; }

    /// <summary>Gets a value indicating whether to print JSON.</summary>
    public bool Json { get; init; }

    /// <summary>Runs the request.</summary>
    /// <param name="output">Normal output.</param>
    /// <param name="error">Errors.</param>
    /// <returns>0, 2 unknown campaign or device or bad database, 3 unreachable.</returns>
    public int Execute(TextWriter output, TextWriter error)
    {
        try
        {
            var store = new CampaignStore(FleetDatabase.Open(Db, create: false));
            CampaignRecord c = store.Get(Name);
            List<DeviceRecord> devices = store.Devices(Name, Device);
            if (Device is not null && devices.Count == 0)
            {
                error.WriteLine($"error: campaign {Name} has no device '{Device}'");
                return ExitCodes.Usage;
            }

            // The table shows the stored state names (in_progress); JSON has one casing (inProgress).
            Func<string?, string?> state = Json ? CampaignJson.State : stored => stored;
            var rows = devices.Select(d => new
            {
                device = d.Device, state = state(d.State.Name()), attempts = d.Attempts, sends = d.Sends, worker = d.Worker,
                firstStartedMs = d.FirstStartedMs, finishedMs = d.FinishedMs, stepsPassed = d.StepsPassed, stepsTotal = d.StepsTotal,
                lastSw = d.LastSw?.ToString("X4"), detail = string.IsNullOrEmpty(d.Detail) ? null : d.Detail, tenantCounter = d.TenantCounter,
                scriptId = d.ScriptId is null ? null : Convert.ToHexString(d.ScriptId),
                steps = Device is null || d.StepsJson is null ? null : JsonSerializer.Deserialize<List<DeviceStep>>(d.StepsJson, JsonReport.Options),
                events = Device is null ? null : store.Events(Name, d.Device).Select(e => new
                {
                    atMs = e.AtMs, from = state(e.From), to = state(e.To), worker = e.Worker, detail = e.Detail,
                }).ToList(),
            }).ToList();
            if (Json)
            {
                JsonReport.Write(output, "backend campaign report", ExitCodes.Ok, new { name = Name, state = CampaignStore.StateName(c.State), devices = rows });
                return ExitCodes.Ok;
            }

            output.WriteLine($"campaign {Name}: {CampaignStore.StateName(c.State)}, {c.DeviceCount} devices");
            output.WriteLine($"{"device",-24} {"state",-11} {"tries",5} {"sends",5} {"steps",7} {"SW",-4}  detail");
            foreach (var row in rows)
            {
                string steps = row.stepsTotal is null ? "-" : $"{row.stepsPassed}/{row.stepsTotal}";
                output.WriteLine($"{row.device,-24} {row.state,-11} {row.attempts,5} {row.sends,5} {steps,7} {row.lastSw ?? "----",-4}  {row.detail}");
                if (Device is not null)
                {
                    output.WriteLine("state changes:");
                    foreach (var e in row.events!)
                    {
                        output.WriteLine($"  {DateTimeOffset.FromUnixTimeMilliseconds(e.atMs):u}  {e.from ?? "-",-11} -> {e.to,-11} {e.worker}  {e.detail}");
                    }

                    output.WriteLine("steps:");
                    output.WriteLine(row.steps is { } s ? JsonSerializer.Serialize(s, JsonReport.Options) : "  (none recorded)");
                }
            }

            return ExitCodes.Ok;
        }
        catch (FleetStoreException e)
        {
            error.WriteLine(e.ExitCode == 2 ? "error: " + e.Message : e.Message);
            return e.ExitCode;
        }
    }
}
