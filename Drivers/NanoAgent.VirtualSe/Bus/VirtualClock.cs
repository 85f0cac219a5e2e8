using NanoAgent.Drivers.Bus;

namespace NanoAgent.VirtualSe.Bus;

/// <summary>An <see cref="IClock"/> whose time only moves when someone sleeps: tests run without waiting.</summary>
public sealed class VirtualClock : IClock
{
    /// <inheritdoc />
    public long Milliseconds { get; private set; }

    /// <summary>Gets the total time slept, for assertions on polling and guard times.</summary>
    public long TotalSlept { get; private set; }

    /// <inheritdoc />
    public void Sleep(int milliseconds)
    {
        if (milliseconds > 0)
        {
            Milliseconds += milliseconds;
            TotalSlept += milliseconds;
        }
    }
}
