using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Fleet;

/// <summary><c>nanoagent backend campaign cancel</c>: queued devices become cancelled, no worker starts another; devices in
/// progress finish (a request on its way cannot be called back).</summary>
public sealed class CampaignCancelRequest
{
    /// <summary>Gets the campaign name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the <c>--db</c> text.</summary>
    public required string Db { get; init; }

    /// <summary>Gets why (kept with the campaign).</summary>
    public string Reason { get; init; } = "cancelled by the operator";

    /// <summary>Gets a value indicating whether to print the outcome in the JSON envelope.</summary>
    public bool Json { get; init; }

    /// <summary>Runs the request.</summary>
    /// <param name="output">Normal output.</param>
    /// <param name="error">Errors.</param>
    /// <returns>0 cancelled, 1 already finished, 2 unknown campaign or bad database, 3 unreachable.</returns>
    public int Execute(TextWriter output, TextWriter error)
    {
        try
        {
            var store = new CampaignStore(FleetDatabase.Open(Db, create: false));
            int n = store.Cancel(Name, Reason);
            long running = store.CountByState(Name)[NanoAgent.Fleet.DeviceState.InProgress];
            if (Json)
            {
                CampaignRecord c = store.Get(Name);
                JsonReport.Write(output, "backend campaign cancel", ExitCodes.Ok, new
                {
                    name = Name, state = CampaignStore.StateName(c.State), reason = c.StateReason, cancelled = n, inProgress = running,
                });
                return ExitCodes.Ok;
            }

            output.WriteLine($"campaign {Name} cancelled: {n} queued device(s) cancelled; {running} in progress will finish");
            return ExitCodes.Ok;
        }
        catch (FleetStoreException e)
        {
            error.WriteLine(e.ExitCode == 2 ? "error: " + e.Message : e.Message);
            return e.ExitCode;
        }
    }
}
