using System.Diagnostics;
using System.Text;

namespace NanoAgent.Host.Fleet;

/// <summary>
/// Another <c>nanoagent</c> process started by this one (the campaign bench's simulator and workers): the same binary, or
/// <c>dotnet nanoagent.dll</c> when this process is not the <c>nanoagent</c> app host. Its output is collected; it samples
/// the child's resident memory while it runs.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private long _peakRssKb;

    private ChildProcess(IEnumerable<string> args)
    {
        string? self = Environment.ProcessPath;
        string dll = Path.Combine(AppContext.BaseDirectory, "nanoagent.dll");
        ProcessStartInfo info;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "nanoagent")
        {
            info = new ProcessStartInfo(self);
        }
        else
        {
            string host = self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
                : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
            info = new ProcessStartInfo(host);
            info.ArgumentList.Add(dll);
        }

        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        _process = Process.Start(info) ?? throw new InvalidOperationException("nanoagent did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Gets the process id.</summary>
    public int Id => _process.Id;

    /// <summary>Gets a value indicating whether it ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Gets its exit code (after it ended).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Gets the highest resident memory seen by <see cref="Sample"/>, in kB.</summary>
    public long PeakRssKb => Interlocked.Read(ref _peakRssKb);

    /// <summary>Gets what it printed so far (standard output and error, interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>nanoagent</c> with arguments.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The running process.</returns>
    public static ChildProcess Start(params string[] args) => new(args);

    /// <summary>Reads its resident memory now (and keeps the highest).</summary>
    /// <returns>VmRSS in kB, or 0 when it is gone.</returns>
    public long Sample()
    {
        long rss = WorkerStats.ProcStatus($"/proc/{_process.Id}/status", "VmRSS");
        long seen;
        while (rss > (seen = Interlocked.Read(ref _peakRssKb)) && Interlocked.CompareExchange(ref _peakRssKb, rss, seen) != seen)
        {
        }

        return rss;
    }

    /// <summary>Waits until its output holds a text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="timeout">How long at most.</param>
    /// <returns>True when seen; false when the time ran out or it ended first.</returns>
    public bool WaitForOutput(string text, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > end || _process.HasExited)
            {
                return Output.Contains(text, StringComparison.Ordinal);
            }

            Thread.Sleep(50);
        }

        return true;
    }

    /// <summary>Waits for it to end, sampling its memory meanwhile.</summary>
    /// <param name="timeout">How long at most.</param>
    /// <returns>True when it ended.</returns>
    public bool WaitForExit(TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (!_process.WaitForExit(200))
        {
            Sample();
            if (DateTime.UtcNow > end)
            {
                return false;
            }
        }

        _process.WaitForExit();
        return true;
    }

    /// <summary>Asks it to stop (SIGTERM) and waits.</summary>
    /// <param name="timeout">How long to wait before killing it.</param>
    public void Terminate(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill?.WaitForExit();
        }

        if (!WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>Kills it at once (SIGKILL) if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
