using System.Diagnostics;
using System.Text;

namespace NanoAgent.Host.Tests.Serve;

/// <summary><c>nanoagent serve …</c> as its own process (it runs until a signal), with its output and a way to signal it.</summary>
public sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServeProcess(string[] args)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nanoagent.dll"));
        info.ArgumentList.Add("serve");
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("nanoagent did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Gets everything printed so far (standard output and error).</summary>
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

    public static ServeProcess Start(params string[] args) => new(args);

    /// <summary>Waits until the output holds a text; fails the test with the output otherwise.</summary>
    public void WaitFor(string text, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"'{text}' not printed by serve (exited: {_process.HasExited})\n{Output}");
            }

            Thread.Sleep(50); // polling the collected output, not timing an assertion
        }
    }

    /// <summary>Finds the TCP port in "listening on HOST:PORT".</summary>
    public int JrcpPort()
    {
        WaitFor("JRCP: listening on ");
        string rest = Output[(Output.IndexOf("JRCP: listening on ", StringComparison.Ordinal) + "JRCP: listening on ".Length)..];
        string endpoint = rest[..rest.IndexOf(' ')];
        return int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..]);
    }

    /// <summary>Sends a POSIX signal (15 SIGTERM, 2 SIGINT) with kill(1).</summary>
    public void Signal(int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public int WaitForExit(int seconds = 30)
    {
        if (!_process.WaitForExit(seconds * 1000))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"serve did not exit within {seconds} s\n{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
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
