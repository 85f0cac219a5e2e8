namespace NanoAgent.Fleet;

/// <summary>
/// The device state machine: the names stored in the database and the only moves allowed. A final state never changes;
/// <see cref="DeviceState.InProgress"/> goes back to <see cref="DeviceState.Queued"/> only for a retry (device offline or
/// busy), and to itself when another worker takes an expired lease over.
/// </summary>
public static class DeviceStates
{
    private static readonly string[] Names = ["queued", "in_progress", "succeeded", "failed", "timed_out", "rejected", "cancelled"];

    /// <summary>Gets every state, in order.</summary>
    public static IReadOnlyList<DeviceState> All { get; } = Enum.GetValues<DeviceState>();

    /// <summary>Returns the name stored in the database and shown to users.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name, e.g. <c>in_progress</c>.</returns>
    public static string Name(this DeviceState state) => Names[(int)state];

    /// <summary>Reads a stored state name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="state">The state.</param>
    /// <returns>False when the name is not a state.</returns>
    public static bool TryParse(string name, out DeviceState state)
    {
        int i = Array.IndexOf(Names, name);
        state = i < 0 ? DeviceState.Queued : (DeviceState)i;
        return i >= 0;
    }

    /// <summary>Returns whether a state is final.</summary>
    /// <param name="state">The state.</param>
    /// <returns>True for succeeded, failed, timed out, rejected and cancelled.</returns>
    public static bool IsFinal(this DeviceState state) => state is not (DeviceState.Queued or DeviceState.InProgress);

    /// <summary>Returns whether a state counts as a failure for the abort rule.</summary>
    /// <param name="state">The state.</param>
    /// <returns>True for failed, timed out and rejected.</returns>
    public static bool IsFailure(this DeviceState state) => state is DeviceState.Failed or DeviceState.TimedOut or DeviceState.Rejected;

    /// <summary>Returns whether the state machine allows a move.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The state asked for.</param>
    /// <returns>True when allowed.</returns>
    public static bool CanMove(DeviceState from, DeviceState to) => from switch
    {
        DeviceState.Queued => to is DeviceState.InProgress or DeviceState.Cancelled,
        DeviceState.InProgress => to is not DeviceState.Cancelled,
        _ => false,
    };
}
