using System.Diagnostics;
using System.Net.Sockets;

namespace NanoAgent.Host.Mqtt.Tests.Brokers;

/// <summary>
/// Runs Eclipse mosquitto on a free loopback port from a config written to a temp folder (anonymous, or with a password
/// file made by mosquitto_passwd). A missing binary fails the test with how to install it: interop must not pass silently.
/// </summary>
public sealed class MosquittoFixture : ITestBroker
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly string _dir = Directory.CreateTempSubdirectory("nanoagent-mosquitto-").FullName;
    private readonly int _port = EmbeddedBroker.FreeLoopbackPort();
    private readonly string _config;
    private readonly System.Text.StringBuilder _stderr = new();
    private Process? _process;

    /// <summary>Writes the config (and password file) for a broker.</summary>
    /// <param name="userName">Required user name, or null for anonymous access.</param>
    /// <param name="password">The password.</param>
    public MosquittoFixture(string? userName = null, string? password = null)
    {
        string binary = Find("mosquitto", "/usr/sbin", "/usr/local/sbin");
        _config = Path.Combine(_dir, "mosquitto.conf");
        var lines = new List<string> { $"listener {_port} 127.0.0.1", "persistence false" };
        if (userName == null)
        {
            lines.Add("allow_anonymous true");
        }
        else
        {
            string passwordFile = Path.Combine(_dir, "passwd");
            Run(Find("mosquitto_passwd", "/usr/bin", "/usr/local/bin"), "-b", "-c", passwordFile, userName, password ?? string.Empty);
            // Started as root, mosquitto drops to its own user: it must still be able to read the folder and the file.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
                File.SetUnixFileMode(passwordFile, (UnixFileMode)0b110_100_100);
            }

            lines.Add("allow_anonymous false");
            lines.Add($"password_file {passwordFile}");
        }

        File.WriteAllLines(_config, lines);
        Binary = binary;
    }

    /// <summary>Writes a config made by the test: it gets the fixture's folder and port and returns every line (listener included).</summary>
    /// <param name="config">Makes the config lines from the folder (files go there) and the port.</param>
    public MosquittoFixture(Func<string, int, IEnumerable<string>> config)
    {
        Binary = Find("mosquitto", "/usr/sbin", "/usr/local/sbin");
        _config = Path.Combine(_dir, "mosquitto.conf");
        MakeReadableByBroker(_dir, directory: true);
        File.WriteAllLines(_config, config(_dir, _port));
    }

    /// <summary>Gets the folder holding the config and any file a test writes for mosquitto.</summary>
    public string Folder => _dir;

    /// <summary>Gets the listener port.</summary>
    public int Port => _port;

    /// <summary>Gets what mosquitto wrote to stderr so far (its log), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Started as root, mosquitto drops to its own user: a file it reads must be readable by others (tests only; a real
    /// deployment gives the files to the mosquitto user instead).
    /// </summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="directory">Whether it is a folder (needs the search bit).</param>
    public static void MakeReadableByBroker(string path, bool directory = false)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)(directory ? 0b111_101_101 : 0b110_100_100));
        }
    }

    /// <summary>Gets the mosquitto binary in use.</summary>
    public string Binary { get; }

    /// <inheritdoc />
    public MqttBrokerAddress Address => new("127.0.0.1", _port, useTls: false);

    /// <inheritdoc />
    public void Start()
    {
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(_config);
        _process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.BeginOutputReadLine();
        System.Text.StringBuilder stderr = _stderr;
        _process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}: {stderr}");
            }

            if (Accepts())
            {
                return;
            }

            Thread.Sleep(20); // polling for the port, not timing an assertion
        }

        Stop();
        throw new InvalidOperationException($"mosquitto did not accept on 127.0.0.1:{_port} within {StartTimeout.TotalSeconds} s: {stderr}");
    }

    /// <inheritdoc />
    public void Stop()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }

            process.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", _port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    internal static string Find(string name, params string[] dirs)
    {
        IEnumerable<string> path = (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (string dir in dirs.Concat(path))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"'{name}' was not found (looked in {string.Join(", ", dirs)} and PATH): the MQTT interop tests need Eclipse mosquitto; install it with `sudo apt-get install mosquitto`.");
    }

    internal static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {error}");
        }
    }
}
