namespace NanoAgent.Host.Bench;

/// <summary>Relay throughput: a script through broker, agent service and relay, against the same APDUs sent directly.</summary>
/// <param name="Steps">Steps per script.</param>
/// <param name="Store">The relay store: "journal" (snapshot + appended change records, the device's) or "rewrite" (the whole state per change).</param>
/// <param name="Scripts">Scripts run.</param>
/// <param name="RelayedMillis">Mean time per script from publishing the request to receiving the result, ms.</param>
/// <param name="DirectMillis">Mean time per script for SELECT and the same steps sent straight to the virtual SE, ms.</param>
/// <param name="StepsPassed">Steps reported passed over all relayed scripts.</param>
/// <param name="StoreBytesPerStep">Bytes the relay store wrote per relayed step (all its writes over the measured scripts, per step).</param>
/// <param name="StoreWritesPerStep">Storage write operations per relayed step.</param>
public sealed record RelayFigures(int Steps, string Store, int Scripts, double RelayedMillis, double DirectMillis, int StepsPassed,
    double StoreBytesPerStep, double StoreWritesPerStep)
{
    /// <summary>Gets relayed time over direct time.</summary>
    public double Ratio => RelayedMillis / DirectMillis;

    /// <summary>Gets relayed steps per second.</summary>
    public double StepsPerSecond => Steps * 1000.0 / RelayedMillis;
}
