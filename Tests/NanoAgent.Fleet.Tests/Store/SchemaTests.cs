using Microsoft.Data.Sqlite;
using NanoAgent.Fleet.Store;

namespace NanoAgent.Fleet.Tests.Store;

[Collection(DatabaseCollection.Name)]
public class SchemaTests(Databases databases)
{
    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Open_EmptyDatabase_CreatesEveryTableAtTheCurrentVersion(string kind)
    {
        string spec = databases.NewSpec(kind);
        FleetDatabase db = FleetDatabase.Open(spec, create: true);

        long version = db.Read(sql => sql.Long("SELECT version FROM fleet_schema"));
        Assert.Equal(FleetSchema.CurrentVersion, version);
        foreach (string table in FleetSchema.Tables)
        {
            Assert.Equal(0, db.Read(sql => sql.Long($"SELECT COUNT(*) FROM {table} WHERE 1 = 0")));
        }

        // Opening again changes nothing (one schema row, same version).
        FleetDatabase again = FleetDatabase.Open(spec, create: false);
        Assert.Equal(1, again.Read(sql => sql.Long("SELECT COUNT(*) FROM fleet_schema")));
        Assert.False(again.IsEmpty);
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Open_ForeignDatabase_IsRefusedAndLeftAlone(string kind)
    {
        string spec = databases.NewSpec(kind);
        FleetDatabase raw = FleetDatabase.Open(spec, create: true);
        raw.Write(sql =>
        {
            foreach (string table in FleetSchema.Tables.Reverse())
            {
                sql.Execute($"DROP TABLE {table}");
            }

            return sql.Execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER)");
        });

        var e = Assert.Throws<FleetStoreException>(() => FleetDatabase.Open(spec, create: true));

        Assert.Equal(FleetStoreError.NotAFleetDatabase, e.Error);
        Assert.Equal(2, e.ExitCode);
        Assert.Contains("invoices", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(0, raw.Read(sql => sql.Long("SELECT COUNT(*) FROM invoices")));
        Assert.Throws<FleetStoreException>(() => raw.Read(sql => sql.Long("SELECT COUNT(*) FROM fleet_schema")));
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Open_NewerOrOtherProductSchema_IsRefused(string kind)
    {
        string spec = databases.NewSpec(kind);
        FleetDatabase db = FleetDatabase.Open(spec, create: true);
        db.Write(sql => sql.Execute("UPDATE fleet_schema SET version = 99"));

        var newer = Assert.Throws<FleetStoreException>(() => FleetDatabase.Open(spec, create: true));
        Assert.Equal(FleetStoreError.NewerSchema, newer.Error);
        Assert.Contains("99", newer.Message, StringComparison.Ordinal);
        Assert.Equal(99, db.Read(sql => sql.Long("SELECT version FROM fleet_schema")));

        db.Write(sql => sql.Execute("UPDATE fleet_schema SET version = 1, product = 'someone-else'"));
        Assert.Equal(FleetStoreError.NotAFleetDatabase, Assert.Throws<FleetStoreException>(() => FleetDatabase.Open(spec, create: true)).Error);
    }

    [Theory]
    [MemberData(nameof(Databases.Kinds), MemberType = typeof(Databases))]
    public void Open_EmptyDatabaseWithoutCreate_StaysEmptyAndKnowsNoCampaign(string kind)
    {
        string spec = databases.NewSpec(kind);
        if (kind == "sqlite")
        {
            // A missing file is never created by a reading command.
            Assert.Equal(FleetStoreError.NoSuchDatabase, Assert.Throws<FleetStoreException>(() => FleetDatabase.Open(spec, create: false)).Error);
            Assert.False(File.Exists(spec));
            return;
        }

        FleetDatabase db = FleetDatabase.Open(spec, create: false);
        Assert.True(db.IsEmpty);
        Assert.Equal(FleetStoreError.UnknownCampaign, Assert.Throws<FleetStoreException>(() => new CampaignStore(db).Get("x")).Error);
        Assert.Equal(0, db.Read(sql => sql.Long("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()")));
    }

    [Fact]
    public void Open_CorruptSqliteFile_IsRefusedAndLeftAlone()
    {
        string spec = databases.NewSpec("sqlite");
        byte[] junk = new byte[4096];
        new Random(7).NextBytes(junk);
        File.WriteAllBytes(spec, junk);

        var e = Assert.Throws<FleetStoreException>(() => FleetDatabase.Open(spec, create: true));

        Assert.Equal(FleetStoreError.NotAFleetDatabase, e.Error);
        Assert.Equal(junk, File.ReadAllBytes(spec));
        Assert.False(File.Exists(spec + "-wal"));
    }

    [Fact]
    public void Open_FleetDatabaseWithDamagedSchemaPage_IsRefused()
    {
        string spec = databases.NewSpec("sqlite");
        Campaigns.Create(FleetDatabase.Open(spec, create: true), "c1", 50);
        SqliteConnection.ClearAllPools();
        byte[] whole = File.ReadAllBytes(spec);
        for (int i = 100; i < 4096; i++)
        {
            whole[i] = 0xA5; // the rest of page 1: SQLite's own table of tables
        }

        File.WriteAllBytes(spec, whole);

        var e = Assert.Throws<FleetStoreException>(() => new CampaignStore(FleetDatabase.Open(spec, create: false)).Get("c1"));

        Assert.Equal(FleetStoreError.NotAFleetDatabase, e.Error);
    }

    [Fact]
    public void Open_PostgresUrlWithUnknownParameter_IsBadInput()
    {
        var e = Assert.Throws<FleetStoreException>(() => FleetDatabase.Open("postgres://u@127.0.0.1:1/db?colour=blue", create: false));
        Assert.Equal(FleetStoreError.BadDatabaseName, e.Error);
        Assert.Equal(2, e.ExitCode);
    }

    [Fact]
    public void Open_PostgresNobodyListens_IsUnreachable()
    {
        var e = Assert.Throws<FleetStoreException>(() => FleetDatabase.Open("postgres://fleet@127.0.0.1:1/fleet", create: false));
        Assert.Equal(FleetStoreError.Unreachable, e.Error);
        Assert.Equal(3, e.ExitCode);
    }
}
