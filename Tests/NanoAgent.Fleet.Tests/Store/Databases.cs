using NanoAgent.Fleet.Store;

namespace NanoAgent.Fleet.Tests.Store;

/// <summary>
/// Gives each test an empty fleet database of either kind: a new SQLite file, or a new database in one PostgreSQL cluster
/// started for the test run (Debian's postgresql, as an unprivileged user under root; <see cref="TemporaryPostgres"/>).
/// PostgreSQL missing is a failure, never a skip: CI installs it (.ci/run).
/// </summary>
public sealed class Databases : IDisposable
{
    private readonly Lazy<TemporaryPostgres> _postgres = new(() => TemporaryPostgres.Start());
    private readonly string _dir = Directory.CreateTempSubdirectory("nanoagent-fleet-").FullName;
    private int _next;

    /// <summary>The two kinds, for [Theory] data.</summary>
    public static TheoryData<string> Kinds => new() { "sqlite", "postgres" };

    /// <summary>Returns the <c>--db</c> text of a new empty database.</summary>
    public string NewSpec(string kind)
    {
        int n = Interlocked.Increment(ref _next);
        return kind == "sqlite" ? Path.Combine(_dir, $"fleet{n}.db") : _postgres.Value.CreateDatabase($"t{n}");
    }

    /// <summary>Opens (creating) a new empty database.</summary>
    public FleetDatabase NewDatabase(string kind) => FleetDatabase.Open(NewSpec(kind), create: true);

    public void Dispose()
    {
        if (_postgres.IsValueCreated)
        {
            _postgres.Value.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
