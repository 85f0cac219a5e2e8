using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace NanoAgent.Fleet.Store;

/// <summary>
/// The fleet database named by <c>--db</c>: a SQLite file (the default; one file, no set-up) or a PostgreSQL database
/// (<c>postgres://user@host:port/db</c> or an Npgsql connection string). Opening checks the schema: an empty database gets
/// it (when asked to create), an older one is migrated, and a corrupt, foreign or newer one is refused with one line.
/// </summary>
public sealed class FleetDatabase
{
    private readonly string _connectionString;
    private readonly object _sqliteWriter = new();

    private FleetDatabase(SqlDialect dialect, string connectionString, string display)
    {
        Dialect = dialect;
        _connectionString = connectionString;
        Display = display;
    }

    /// <summary>Gets the database kind.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>Gets the database as shown to users: the file path, or host, port and database (never a password).</summary>
    public string Display { get; }

    /// <summary>Gets a value indicating whether the database holds no fleet schema yet (only when opened without creating).</summary>
    public bool IsEmpty { get; private set; }

    /// <summary>Returns the default SQLite file: <c>~/.nanoagent/fleet.db</c>.</summary>
    public static string DefaultPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nanoagent", "fleet.db");

    /// <summary>Returns whether a <c>--db</c> text names a PostgreSQL database.</summary>
    /// <param name="spec">The text.</param>
    /// <returns>True for a <c>postgres://</c> or <c>postgresql://</c> URL or a connection string with <c>Host=</c>.</returns>
    public static bool IsPostgres(string spec) =>
        spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || (spec.Contains('=', StringComparison.Ordinal) && spec.Contains("host", StringComparison.OrdinalIgnoreCase));

    /// <summary>Opens the database and checks (or creates, or migrates) its schema.</summary>
    /// <param name="spec">The <c>--db</c> text: a file path, a PostgreSQL URL or connection string.</param>
    /// <param name="create">True to create a missing SQLite file and the schema of an empty database.</param>
    /// <returns>The database.</returns>
    /// <exception cref="FleetStoreException">Bad name, missing file, not a fleet database, newer schema, unreachable.</exception>
    public static FleetDatabase Open(string spec, bool create)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        FleetDatabase db = IsPostgres(spec) ? OpenPostgres(spec) : OpenSqlite(spec, create);
        new SchemaCheck(db).Run(create);
        return db;
    }

    /// <summary>Opens a connection (pooled), set up for this database.</summary>
    /// <returns>The open connection.</returns>
    /// <exception cref="FleetStoreException">The server cannot be reached.</exception>
    public DbConnection Connect()
    {
        DbConnection connection = Dialect == SqlDialect.Sqlite ? new SqliteConnection(_connectionString) : new NpgsqlConnection(_connectionString);
        try
        {
            connection.Open();
            if (Dialect == SqlDialect.Sqlite)
            {
                using DbCommand pragma = connection.CreateCommand();

                // FULL: a committed "request sent" record survives a power cut too, which the never-twice rule needs.
                pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON";
                pragma.ExecuteNonQuery();
            }

            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or SqliteException or System.Net.Sockets.SocketException or TimeoutException)
        {
            connection.Dispose();
            throw Translate(e);
        }
    }

    /// <summary>Runs a write transaction: SQLite takes the write lock at once (<c>BEGIN IMMEDIATE</c>); PostgreSQL runs it
    /// read-committed with explicit row locks, and runs it again after a deadlock or serialization failure.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="work">The work; it must not commit.</param>
    /// <returns>The work's result, committed.</returns>
    public T Write<T>(Func<Sql, T> work)
    {
        if (Dialect != SqlDialect.Sqlite)
        {
            return WriteNow(work);
        }

        // SQLite has one writer at a time: threads of this process queue here instead of polling the file lock (SQLite's
        // busy handler sleeps up to 100 ms a try); other processes still wait through busy_timeout.
        lock (_sqliteWriter)
        {
            return WriteNow(work);
        }
    }

    private T WriteNow<T>(Func<Sql, T> work)
    {
        for (int attempt = 1; ; attempt++)
        {
            using DbConnection connection = Connect();
            try
            {
                using DbTransaction tx = connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: false) : connection.BeginTransaction();
                T result = work(new Sql(connection, tx, Dialect));
                tx.Commit();
                return result;
            }
            catch (PostgresException e) when (attempt < 5 && e.SqlState is "40P01" or "40001")
            {
                Thread.Sleep(Random.Shared.Next(5, 50));
            }
            catch (Exception e) when (e is NpgsqlException or SqliteException)
            {
                throw Translate(e);
            }
        }
    }

    /// <summary>Runs read-only work on one connection.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="work">The work.</param>
    /// <returns>The work's result.</returns>
    public T Read<T>(Func<Sql, T> work)
    {
        using DbConnection connection = Connect();
        try
        {
            return work(new Sql(connection, null, Dialect));
        }
        catch (Exception e) when (e is NpgsqlException or SqliteException)
        {
            throw Translate(e);
        }
    }

    internal void MarkEmpty() => IsEmpty = true;

    internal FleetStoreException Translate(Exception e) => e switch
    {
        FleetStoreException f => f,
        SqliteException { SqliteErrorCode: 26 or 11 } => new FleetStoreException(FleetStoreError.NotAFleetDatabase, $"{Display}: not a fleet database (not an SQLite database, or corrupt)", e),
        SqliteException s => new FleetStoreException(FleetStoreError.NotAFleetDatabase, $"{Display}: the database refused: {s.Message}", e),
        PostgresException { SqlState: "3D000" } => new FleetStoreException(FleetStoreError.NoSuchDatabase, $"{Display}: no such database (create it with createdb first)", e),
        PostgresException { SqlState: "28P01" or "28000" } => new FleetStoreException(FleetStoreError.Unreachable, $"{Display}: the server refused the login: {((PostgresException)e).MessageText}", e),
        PostgresException p => new FleetStoreException(FleetStoreError.NotAFleetDatabase, $"{Display}: the database refused: {p.MessageText}", e),
        _ => new FleetStoreException(FleetStoreError.Unreachable, $"{Display}: cannot reach the database: {e.Message}", e),
    };

    private static FleetDatabase OpenSqlite(string path, bool create)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new FleetStoreException(FleetStoreError.NotAFleetDatabase, $"{path}: is a directory, not a fleet database");
        }

        if (!File.Exists(full))
        {
            if (!create)
            {
                throw new FleetStoreException(FleetStoreError.NoSuchDatabase, $"{path}: no such fleet database (campaign create makes one)");
            }

            string? dir = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new FleetDatabase(SqlDialect.Sqlite, builder.ToString(), path);
    }

    private static FleetDatabase OpenPostgres(string spec)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = spec.Contains("://", StringComparison.Ordinal) ? PostgresUrl.Parse(spec) : new NpgsqlConnectionStringBuilder(spec);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new FleetStoreException(FleetStoreError.BadDatabaseName, $"--db: not a PostgreSQL URL or connection string: {e.Message}");
        }

        builder.Timeout = builder.Timeout == 15 ? 10 : builder.Timeout;
        string display = $"postgresql {builder.Username ?? "(user)"}@{builder.Host}:{builder.Port}/{builder.Database}";
        return new FleetDatabase(SqlDialect.Postgres, builder.ToString(), display);
    }
}
