using System.Diagnostics;

namespace NanoAgent.Host.Fleet;

/// <summary>What one worker process cost: CPU time, peak resident memory (VmHWM), devices it finished.</summary>
/// <param name="CpuMilliseconds">User and system CPU time of the process.</param>
/// <param name="PeakRssKilobytes">The peak resident set size, from /proc/self/status (0 where there is none).</param>
/// <param name="DevicesFinished">Devices this worker brought to a final state.</param>
public sealed record WorkerStats(long CpuMilliseconds, long PeakRssKilobytes, int DevicesFinished)
{
    /// <summary>Measures the current process.</summary>
    /// <param name="devicesFinished">Devices this worker finished.</param>
    /// <returns>The figures.</returns>
    public static WorkerStats Measure(int devicesFinished)
    {
        using Process self = Process.GetCurrentProcess();
        return new WorkerStats((long)self.TotalProcessorTime.TotalMilliseconds, ProcStatus("VmHWM"), devicesFinished);
    }

    /// <summary>Reads a kB figure of /proc/self/status (VmRSS, VmHWM).</summary>
    /// <param name="field">The field.</param>
    /// <returns>The value in kB, or 0.</returns>
    public static long ProcStatus(string field) => ProcStatus("/proc/self/status", field);

    /// <summary>Reads a kB figure of a /proc/PID/status file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="field">The field.</param>
    /// <returns>The value in kB, or 0.</returns>
    public static long ProcStatus(string path, string field)
    {
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>Gets the one line a worker prints last, which the campaign bench reads.</summary>
    public string Line => $"worker-stats: cpu_ms={CpuMilliseconds} peak_rss_kb={PeakRssKilobytes} devices={DevicesFinished}";
}
