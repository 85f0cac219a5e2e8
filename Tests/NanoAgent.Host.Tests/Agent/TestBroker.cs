using System.Diagnostics;
using System.Net.Sockets;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>
/// A broker a test can stop and start again on the same port: Eclipse mosquitto (as Tests/NanoAgent.Host.Mqtt.Tests
/// MosquittoFixture runs it; a missing binary fails the test) or the <see cref="EmbeddedBroker"/>.
/// </summary>
public sealed class TestBroker : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nanoagent-agent-broker-").FullName;
    private readonly EmbeddedBroker? _embedded;
    private readonly List<string> _output = new();
    private Process? _process;

    public TestBroker(string kind)
    {
        Kind = kind;
        Port = EmbeddedBroker.FreeLoopbackPort();
        if (kind == "embedded")
        {
            _embedded = new EmbeddedBroker(Port);
        }
        else
        {
            Binary = Find("mosquitto", "/usr/sbin", "/usr/local/sbin");
            File.WriteAllLines(Path.Combine(_dir, "mosquitto.conf"), [$"listener {Port} 127.0.0.1", "persistence false", "allow_anonymous true"]);
        }

        Start();
    }

    public string Kind { get; }

    public int Port { get; }

    public string? Binary { get; }

    /// <summary>Gets the lines mosquitto wrote so far (its log goes to stderr), oldest first.</summary>
    public string[] Output
    {
        get { lock (_output) { return _output.ToArray(); } }
    }

    public MqttBrokerAddress Address => new("127.0.0.1", Port, useTls: false);

    public void Start()
    {
        if (_embedded is not null)
        {
            _embedded.Start();
            return;
        }

        var info = new ProcessStartInfo(Binary!) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.Combine(_dir, "mosquitto.conf"));
        _process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode} (port {Port})");
            }

            if (Accepts())
            {
                return;
            }

            Thread.Sleep(20); // polling for the port, not timing an assertion
        }

        throw new InvalidOperationException($"mosquitto did not accept on port {Port} within 10 s");
    }

    public void Stop()
    {
        _embedded?.Stop();
        if (Interlocked.Exchange(ref _process, null) is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }

            process.Dispose();
        }
    }

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

    /// <summary>Finds a program of the mosquitto package, or fails with how to install it.</summary>
    public static string Find(string name, params string[] dirs)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (string dir in dirs.Concat(path))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"'{name}' was not found: the agent end-to-end tests need Eclipse mosquitto (apt-get install mosquitto mosquitto-clients).");
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
