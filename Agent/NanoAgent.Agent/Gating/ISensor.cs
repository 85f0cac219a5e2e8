namespace NanoAgent.Agent.Gating
{
    /// <summary>A sensor whose readings the agent publishes signed by the SE (a smart meter, a thermometer, …).</summary>
    public interface ISensor
    {
        /// <summary>Takes one reading.</summary>
        /// <returns>The reading, or null when the sensor has no value this time (nothing is published; it is tried again next time).</returns>
        Reading Read();
    }
}
