using NanoAgent.Fleet.Store;

namespace NanoAgent.Host.Tests.Fleet;

/// <summary>
/// New empty fleet databases for the host tests: SQLite files, or databases in one throw-away PostgreSQL cluster
/// (<see cref="TemporaryPostgres"/>: Debian's postgresql as user nobody under root). PostgreSQL missing fails the tests.
/// </summary>
public sealed class FleetDatabases : IDisposable
{
    private readonly Lazy<TemporaryPostgres> _postgres = new(() => TemporaryPostgres.Start());
    private readonly TempDir _dir = new();
    private int _next;

    public static TheoryData<string> Kinds => new() { "sqlite", "postgres" };

    public string NewSpec(string kind)
    {
        int n = Interlocked.Increment(ref _next);
        return kind == "sqlite" ? Path.Combine(_dir.Path, $"fleet{n}.db") : _postgres.Value.CreateDatabase($"h{n}");
    }

    public void Dispose()
    {
        if (_postgres.IsValueCreated)
        {
            _postgres.Value.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
