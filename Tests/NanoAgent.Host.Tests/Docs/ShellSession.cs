using System.Diagnostics;
using System.Text;

namespace NanoAgent.Host.Tests.Docs;

/// <summary>
/// One bash process that runs a document's commands one after another, so variables, the working folder and background
/// processes carry from one command to the next, as in a reader's terminal. <c>nanoagent</c> on its PATH is the CLI built
/// with the tests (<c>dotnet nanoagent.dll</c>); <c>/usr/sbin</c> is on it too (mosquitto). Disposing kills bash and every
/// process it started.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ShellSession : IDisposable
{
    private const string Marker = "@@nanoagent-doc-rc=";
    private readonly Process _bash;
    private readonly string _scratch;
    private readonly StreamReader _stdout;
    private int _count;

    public ShellSession(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        _scratch = Directory.CreateTempSubdirectory("nanoagent-doc-").FullName;
        string bin = Directory.CreateDirectory(Path.Combine(_scratch, "bin")).FullName;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        string cli = Path.Combine(bin, "nanoagent");
        File.WriteAllText(cli, $"#!/bin/sh\nexec '{dotnet}' '{Path.Combine(AppContext.BaseDirectory, "nanoagent.dll")}' \"$@\"\n");
        File.SetUnixFileMode(cli, (UnixFileMode)0b111_101_101);

        var info = new ProcessStartInfo("/bin/bash", ["--noprofile", "--norc"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.Environment["PATH"] = $"{bin}:/usr/sbin:/usr/local/sbin:{Environment.GetEnvironmentVariable("PATH")}";
        info.Environment["HOME"] = workingDirectory; // nothing of the reader's ~/.nanoagent is touched
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        _bash = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        _stdout = _bash.StandardOutput;
        _bash.ErrorDataReceived += (_, _) => { };
        _bash.BeginErrorReadLine();
    }

    /// <summary>Runs one command and returns its exit code and everything it printed (standard output and error).</summary>
    public (int Exit, string Output) Run(string command, TimeSpan timeout)
    {
        string output = Path.Combine(_scratch, $"out.{++_count}");
        _bash.StandardInput.Write($"{{ {command}\n}} > '{output}' 2>&1 < /dev/null; echo \"{Marker}$?\"\n");
        _bash.StandardInput.Flush();
        Task<string?> line = ReadMarker();
        if (!line.Wait(timeout))
        {
            throw new TimeoutException($"no end within {timeout.TotalSeconds} s");
        }

        string rc = line.Result ?? throw new InvalidOperationException("bash ended");
        return (int.Parse(rc, System.Globalization.CultureInfo.InvariantCulture), File.Exists(output) ? File.ReadAllText(output) : string.Empty);
    }

    public void Dispose()
    {
        if (!_bash.HasExited)
        {
            _bash.Kill(entireProcessTree: true);
            _bash.WaitForExit(10_000);
        }

        _bash.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    private async Task<string?> ReadMarker()
    {
        while (await _stdout.ReadLineAsync() is { } text)
        {
            if (text.StartsWith(Marker, StringComparison.Ordinal))
            {
                return text[Marker.Length..];
            }
        }

        return null;
    }
}
