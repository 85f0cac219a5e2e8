using NanoAgent.Agent.Gating;

namespace NanoAgent.Host.Tests.Gate;

/// <summary>Passes commands to an actuator, holding the first one until the test releases it (to cut the broker meanwhile).</summary>
internal sealed class HoldingActuator(IActuator inner) : IActuator
{
    private int _calls;

    public ManualResetEventSlim Held { get; } = new();

    public ManualResetEventSlim Release { get; } = new();

    public int Apply(byte[] command, int offset, int count, byte[] result, int resultOffset)
    {
        if (Interlocked.Increment(ref _calls) == 1)
        {
            Held.Set();
            Release.Wait(TimeSpan.FromSeconds(30));
        }

        return inner.Apply(command, offset, count, result, resultOffset);
    }
}
