namespace NanoAgent.Host.Fleet;

/// <summary>One measured campaign of the bench.</summary>
/// <param name="Database">sqlite or postgresql.</param>
/// <param name="Workers">Worker processes.</param>
/// <param name="Devices">Devices in the campaign.</param>
/// <param name="Succeeded">Devices that succeeded.</param>
/// <param name="Seconds">From the first device's start to the last one's end (database clock).</param>
/// <param name="WallSeconds">From starting the workers to the last one's exit (process start-up included).</param>
/// <param name="WorkerCpuSeconds">CPU time of all workers together.</param>
/// <param name="WorkerPeakRssMb">The largest peak resident memory of one worker.</param>
/// <param name="DatabaseBytes">The database's size after the run (file with its WAL, or pg_database_size).</param>
public sealed record CampaignBenchRun(string Database, int Workers, int Devices, long Succeeded, double Seconds, double WallSeconds,
    double WorkerCpuSeconds, double WorkerPeakRssMb, long DatabaseBytes)
{
    /// <summary>Gets devices per second (database clock).</summary>
    public double DevicesPerSecond => Seconds > 0 ? Devices / Seconds : 0;
}
