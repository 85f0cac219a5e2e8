using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NanoAgent.Fleet.Store;

/// <summary>
/// A throw-away PostgreSQL cluster for tests and the campaign bench: Debian's <c>postgresql</c> binaries
/// (<c>/usr/lib/postgresql/N/bin</c>: initdb, pg_ctl) in a new temporary directory, on a free port on 127.0.0.1 with its
/// unix socket in that directory, trust login for user <c>fleet</c>. PostgreSQL refuses to run as root, so under root the
/// cluster runs as the unprivileged user <c>nobody</c> (<c>setpriv</c>), owning the directory. Dispose stops it and deletes it.
/// </summary>
public sealed class TemporaryPostgres : IDisposable
{
    /// <summary>The login of the cluster's superuser.</summary>
    public const string User = "fleet";

    private readonly string _bin;
    private readonly string _dir;
    private readonly bool _asNobody;

    private TemporaryPostgres(string bin, string dir, int port, bool asNobody)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
        _asNobody = asNobody;
    }

    /// <summary>Gets the port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Gets the <c>--db</c> URL of the cluster's <c>postgres</c> database.</summary>
    public string Url => UrlOf("postgres");

    /// <summary>Finds the newest installed PostgreSQL's bin directory.</summary>
    /// <returns>The directory, or null when PostgreSQL is not installed.</returns>
    public static string? FindBinaries()
    {
        const string Root = "/usr/lib/postgresql";
        if (!Directory.Exists(Root))
        {
            return null;
        }

        return Directory.GetDirectories(Root)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out int v) ? v : 0))
            .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")) && File.Exists(Path.Combine(d.Dir, "pg_ctl")))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Dir)
            .FirstOrDefault();
    }

    /// <summary>Creates and starts a cluster.</summary>
    /// <param name="durable">False to run with <c>fsync = off</c> (tests); true keeps PostgreSQL's defaults (the bench).</param>
    /// <returns>The running cluster.</returns>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed, or the cluster did not start (with its log).</exception>
    public static TemporaryPostgres Start(bool durable = false)
    {
        string bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb): apt-get install postgresql");
        bool asNobody = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || geteuid() == 0;
        // Under root the cluster's user must reach the directory: /tmp itself, not a private TMPDIR.
        string dir = asNobody
            ? Directory.CreateDirectory(Path.Combine("/tmp", "nanoagent-pg-" + Guid.NewGuid().ToString("N")[..12])).FullName
            : Directory.CreateTempSubdirectory("nanoagent-pg-").FullName;
        if (asNobody)
        {
            Run("chown", ["nobody:nogroup", dir], asNobody: false, dir);
        }

        Run(Path.Combine(bin, "initdb"), ["-D", Path.Combine(dir, "data"), "-U", User, "--auth=trust", "-E", "UTF8", "--no-sync"], asNobody, dir);
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            var cluster = new TemporaryPostgres(bin, dir, port, asNobody);
            string options = $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=200" + (durable ? string.Empty : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            try
            {
                Run(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "log"), "-w", "-t", "60", "-o", options, "start"], asNobody, dir);
                return cluster;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // The port was taken between the probe and the start: try another.
            }
        }
    }

    /// <summary>Returns the <c>--db</c> URL of a database of this cluster.</summary>
    /// <param name="database">The database name.</param>
    /// <returns>The URL.</returns>
    public string UrlOf(string database) => $"postgres://{User}@127.0.0.1:{Port}/{database}";

    /// <summary>Creates an empty database and returns its URL.</summary>
    /// <param name="database">The name (letters, digits, underscore).</param>
    /// <returns>The URL.</returns>
    public string CreateDatabase(string database)
    {
        using var connection = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username={User};Database=postgres;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{database}\"";
        command.ExecuteNonQuery();
        return UrlOf(database);
    }

    /// <summary>Stops the cluster (immediate) and deletes its directory.</summary>
    public void Dispose()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        try
        {
            Run(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], _asNobody, _dir);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void Run(string program, string[] args, bool asNobody, string workingDirectory)
    {
        var start = new ProcessStartInfo(asNobody ? "setpriv" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        if (asNobody)
        {
            foreach (string a in new[] { "--reuid=nobody", "--regid=nogroup", "--clear-groups", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish in 120 s");
        }

        if (process.ExitCode != 0)
        {
            string log = Path.Combine(workingDirectory, "log");
            string tail = File.Exists(log) ? File.ReadAllText(log) : string.Empty;
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', args)} failed ({process.ExitCode}): {output.Result}{error.Result}{tail}");
        }
    }
}
