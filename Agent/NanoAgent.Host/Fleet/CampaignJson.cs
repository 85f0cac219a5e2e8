using System.Text.Json;
using NanoAgent.Fleet;

namespace NanoAgent.Host.Fleet;

/// <summary>What the campaign commands' <c>--json</c> reports share (docs/json.md): device states in the one casing
/// (<c>inProgress</c>, where the database and the tables say <c>in_progress</c>), devices per state, the rollout rules.</summary>
internal static class CampaignJson
{
    /// <summary>Returns a device state's JSON name.</summary>
    /// <param name="state">The state.</param>
    /// <returns>E.g. <c>inProgress</c>.</returns>
    public static string State(DeviceState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    /// <summary>Returns a stored state name (<c>in_progress</c>) in JSON's casing; null (no state before) stays null.</summary>
    /// <param name="stored">The stored name, or null.</param>
    /// <returns>The JSON name, or null.</returns>
    public static string? State(string? stored) => stored is not null && DeviceStates.TryParse(stored, out DeviceState s) ? State(s) : stored;

    /// <summary>Returns the devices per state, every state present, in the state machine's order.</summary>
    /// <param name="counts">The counts.</param>
    /// <returns>The JSON object.</returns>
    public static Dictionary<string, long> Counts(IReadOnlyDictionary<DeviceState, long> counts) =>
        DeviceStates.All.ToDictionary(State, s => counts.TryGetValue(s, out long n) ? n : 0);

    /// <summary>Returns the rollout rules, times in seconds.</summary>
    /// <param name="r">The rules.</param>
    /// <returns>The JSON object.</returns>
    public static object Rules(RolloutRules r) => new
    {
        r.MaxInFlight, r.MaxPerMinute, r.AbortPercent, r.AbortMinDevices, deviceTimeoutSeconds = r.DeviceTimeout.TotalSeconds,
        r.MaxAttempts, retryBaseSeconds = r.RetryBase.TotalSeconds, retryMaxSeconds = r.RetryMax.TotalSeconds, leaseSeconds = r.Lease.TotalSeconds,
    };
}
