namespace NanoAgent.Host.Bench;

/// <summary>Relay throughput: a script through broker, agent service and relay, against the same APDUs sent directly.</summary>
/// <param name="Steps">Steps per script.</param>
/// <param name="Scripts">Scripts run.</param>
/// <param name="RelayedMillis">Mean time per script from publishing the request to receiving the result, ms.</param>
/// <param name="DirectMillis">Mean time per script for SELECT and the same steps sent straight to the virtual SE, ms.</param>
/// <param name="StepsPassed">Steps reported passed over all relayed scripts.</param>
public sealed record RelayFigures(int Steps, int Scripts, double RelayedMillis, double DirectMillis, int StepsPassed)
{
    /// <summary>Gets relayed time over direct time.</summary>
    public double Ratio => RelayedMillis / DirectMillis;
}
