namespace NanoAgent.Fleet.Store;

/// <summary>The two databases the fleet store runs on, and the few SQL fragments in which they differ.</summary>
public abstract class SqlDialect
{
    /// <summary>Gets SQLite (one file, one writer at a time: <c>BEGIN IMMEDIATE</c> serialises claims).</summary>
    public static SqlDialect Sqlite { get; } = new SqliteDialect();

    /// <summary>Gets PostgreSQL (row locks: <c>FOR UPDATE</c>, <c>FOR UPDATE SKIP LOCKED</c>).</summary>
    public static SqlDialect Postgres { get; } = new PostgresDialect();

    /// <summary>Gets the dialect's name: <c>sqlite</c> or <c>postgresql</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Gets an expression for the database clock in Unix milliseconds (leases use one clock for every worker).</summary>
    public abstract string NowMs { get; }

    /// <summary>Gets the clause that locks the selected row until the transaction ends (empty on SQLite, whose write
    /// transaction already holds the whole database).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Gets the clause that locks the selected rows and skips rows another transaction holds.</summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>Gets the binary column type.</summary>
    public abstract string Blob { get; }

    /// <summary>Gets the column definition of an automatic 64-bit row id.</summary>
    public abstract string AutoId { get; }

    /// <summary>Gets the two-argument maximum function.</summary>
    public abstract string Greatest { get; }

    /// <summary>Puts the dialect's fragments into a statement: <c>{NOW} {FOR_UPDATE} {SKIP_LOCKED} {BLOB} {ID} {GREATEST}</c>.</summary>
    /// <param name="sql">The statement.</param>
    /// <returns>The statement for this database.</returns>
    public string Render(string sql) => sql
        .Replace("{NOW}", NowMs, StringComparison.Ordinal)
        .Replace("{FOR_UPDATE}", ForUpdate, StringComparison.Ordinal)
        .Replace("{SKIP_LOCKED}", ForUpdateSkipLocked, StringComparison.Ordinal)
        .Replace("{BLOB}", Blob, StringComparison.Ordinal)
        .Replace("{ID}", AutoId, StringComparison.Ordinal)
        .Replace("{GREATEST}", Greatest, StringComparison.Ordinal);

    private sealed class SqliteDialect : SqlDialect
    {
        public override string Name => "sqlite";

        public override string NowMs => "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

        public override string ForUpdate => string.Empty;

        public override string ForUpdateSkipLocked => string.Empty;

        public override string Blob => "BLOB";

        public override string AutoId => "INTEGER PRIMARY KEY AUTOINCREMENT";

        public override string Greatest => "MAX";
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override string Name => "postgresql";

        public override string NowMs => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

        public override string ForUpdate => " FOR UPDATE";

        public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";

        public override string Blob => "BYTEA";

        public override string AutoId => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

        public override string Greatest => "GREATEST";
    }
}
