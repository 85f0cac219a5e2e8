namespace NanoAgent.Fleet.Store;

/// <summary>
/// Checks a database's schema when it is opened: a fleet database of this version is used as it is, an older one is
/// migrated in one transaction, an empty one gets the schema (only when creating), and anything else is refused with
/// one line (nothing is changed). Two workers opening one fresh PostgreSQL database at once migrate it once: the
/// migration holds an advisory lock.
/// </summary>
internal sealed class SchemaCheck
{
    // pg_advisory_xact_lock key: "nanoflee" as a 64-bit number, so migrations of one database never run side by side.
    private const long MigrationLock = 0x6E616E6F666C6565;

    private readonly FleetDatabase _db;

    public SchemaCheck(FleetDatabase db) => _db = db;

    public void Run(bool create)
    {
        // Read first, so a refused database is never written to (not even the SQLite WAL switch).
        (int? version, List<string> tables) = _db.Read(Inspect);
        if (version == FleetSchema.CurrentVersion)
        {
            return;
        }

        if (version is null && tables.Count == 0 && !create)
        {
            _db.MarkEmpty();
            return;
        }

        if (_db.Dialect == SqlDialect.Sqlite && version is null)
        {
            _db.Read(sql => sql.Execute("PRAGMA journal_mode = WAL"));
        }

        _db.Write(sql =>
        {
            if (sql.Dialect == SqlDialect.Postgres)
            {
                sql.Execute($"SELECT pg_advisory_xact_lock({MigrationLock})");
            }

            (int? now, List<string> _) = Inspect(sql);
            for (int v = (now ?? 0) + 1; v <= FleetSchema.CurrentVersion; v++)
            {
                foreach (string statement in FleetSchema.Migration(v, sql.Dialect))
                {
                    sql.Execute(statement);
                }
            }

            return 0;
        });
    }

    private (int? Version, List<string> Tables) Inspect(Sql sql)
    {
        List<string> tables = sql.Dialect == SqlDialect.Sqlite
            ? sql.Rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", r => r.GetString(0))
            : sql.Rows("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()", r => r.GetString(0));
        if (!tables.Contains("fleet_schema"))
        {
            if (tables.Count > 0)
            {
                tables.Sort(StringComparer.Ordinal);
                string names = string.Join(", ", tables.Take(5)) + (tables.Count > 5 ? ", ..." : string.Empty);
                throw new FleetStoreException(FleetStoreError.NotAFleetDatabase, $"{_db.Display}: not a fleet database: it holds other tables ({names}) and no fleet_schema");
            }

            return (null, tables);
        }

        List<(string Product, long Version)> rows = sql.Rows("SELECT product, version FROM fleet_schema", r => (r.GetString(0), r.GetInt64(1)));
        if (rows.Count != 1 || rows[0].Product != FleetSchema.Product)
        {
            throw new FleetStoreException(FleetStoreError.NotAFleetDatabase, $"{_db.Display}: not a fleet database: fleet_schema names another product");
        }

        if (rows[0].Version > FleetSchema.CurrentVersion)
        {
            throw new FleetStoreException(FleetStoreError.NewerSchema, $"{_db.Display}: fleet schema version {rows[0].Version} is newer than this nanoagent's ({FleetSchema.CurrentVersion}): use a newer nanoagent");
        }

        return ((int)rows[0].Version, tables);
    }
}
