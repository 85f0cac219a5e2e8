using System.Collections.Concurrent;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Host.Mqtt.Tests.Reconnect;

/// <summary>A virtual clock that records every sleep and never waits: back-off delays are asserted, not waited for.</summary>
public sealed class RecordingClock : IClock
{
    private long _now;

    public ConcurrentQueue<int> Sleeps { get; } = new();

    public long Milliseconds => Interlocked.Read(ref _now);

    public void Sleep(int milliseconds)
    {
        Sleeps.Enqueue(milliseconds);
        Interlocked.Add(ref _now, milliseconds);
    }
}
