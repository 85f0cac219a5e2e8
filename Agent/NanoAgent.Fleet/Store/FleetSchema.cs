namespace NanoAgent.Fleet.Store;

/// <summary>
/// The fleet database's schema, as migrations: migration <c>n</c> takes a database from version <c>n - 1</c> to <c>n</c>
/// (version 0 = empty). One text serves both databases; <see cref="SqlDialect.Render"/> fills in their differences. The
/// table <c>fleet_schema</c> names the product and the version, so a foreign or newer database is recognised and refused.
/// </summary>
public static class FleetSchema
{
    /// <summary>The product name in <c>fleet_schema</c>.</summary>
    public const string Product = "nanoagent-fleet";

    private static readonly string[][] Migrations =
    [
        [
            "CREATE TABLE fleet_schema (product TEXT NOT NULL, version INTEGER NOT NULL)",
            $"INSERT INTO fleet_schema (product, version) VALUES ('{Product}', 0)",
            """
            CREATE TABLE campaigns (
              name TEXT PRIMARY KEY, tenant TEXT NOT NULL, sd TEXT NOT NULL, channel INTEGER NOT NULL, level INTEGER NOT NULL,
              s16 INTEGER NOT NULL, mode TEXT NOT NULL, key_version INTEGER NOT NULL, script_name TEXT NOT NULL, script_text TEXT NOT NULL,
              max_in_flight INTEGER NOT NULL, max_per_minute INTEGER NOT NULL, abort_percent INTEGER NOT NULL,
              abort_min_devices INTEGER NOT NULL, device_timeout_ms BIGINT NOT NULL, max_attempts INTEGER NOT NULL,
              retry_base_ms BIGINT NOT NULL, retry_max_ms BIGINT NOT NULL, lease_ms BIGINT NOT NULL,
              state TEXT NOT NULL, state_reason TEXT, device_count INTEGER NOT NULL,
              n_succeeded INTEGER NOT NULL DEFAULT 0, n_failed INTEGER NOT NULL DEFAULT 0, n_timed_out INTEGER NOT NULL DEFAULT 0,
              n_rejected INTEGER NOT NULL DEFAULT 0, n_cancelled INTEGER NOT NULL DEFAULT 0,
              abort_base_finished INTEGER NOT NULL DEFAULT 0, abort_base_failures INTEGER NOT NULL DEFAULT 0,
              created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL)
            """,
            """
            CREATE TABLE campaign_devices (
              campaign TEXT NOT NULL REFERENCES campaigns (name), position INTEGER NOT NULL, device TEXT NOT NULL,
              state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, not_before_ms BIGINT NOT NULL DEFAULT 0,
              lease_owner TEXT, lease_until_ms BIGINT, started_ms BIGINT, first_started_ms BIGINT, finished_ms BIGINT,
              script_id {BLOB}, tenant_counter BIGINT, sequence_counter INTEGER, host_challenge {BLOB}, request {BLOB},
              sends INTEGER NOT NULL DEFAULT 0, steps_total INTEGER, steps_passed INTEGER, last_sw INTEGER,
              detail TEXT, steps TEXT, worker TEXT,
              PRIMARY KEY (campaign, device))
            """,
            "CREATE INDEX campaign_devices_claim ON campaign_devices (campaign, state, position)",
            "CREATE INDEX campaign_devices_started ON campaign_devices (campaign, started_ms)",
            """
            CREATE TABLE device_facts (
              tenant TEXT NOT NULL, device TEXT NOT NULL, sd TEXT NOT NULL, sequence_counter INTEGER NOT NULL,
              i_parameter INTEGER NOT NULL, diversification {BLOB}, updated_ms BIGINT NOT NULL,
              PRIMARY KEY (tenant, device, sd))
            """,
            "CREATE TABLE request_counters (tenant TEXT NOT NULL, device TEXT NOT NULL, last_counter BIGINT NOT NULL, PRIMARY KEY (tenant, device))",
            """
            CREATE TABLE device_events (
              id {ID}, campaign TEXT NOT NULL, device TEXT NOT NULL, at_ms BIGINT NOT NULL,
              from_state TEXT, to_state TEXT NOT NULL, worker TEXT, detail TEXT)
            """,
            "CREATE INDEX device_events_device ON device_events (campaign, device)",
        ],
    ];

    /// <summary>Gets the schema version this build writes and reads.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Gets the tables of the current schema.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["fleet_schema", "campaigns", "campaign_devices", "device_facts", "request_counters", "device_events"];

    /// <summary>Returns the statements of one migration.</summary>
    /// <param name="version">The version the migration reaches (1 to <see cref="CurrentVersion"/>).</param>
    /// <param name="dialect">The database.</param>
    /// <returns>The statements, in order (the last one of each migration sets the version).</returns>
    public static IEnumerable<string> Migration(int version, SqlDialect dialect)
    {
        foreach (string statement in Migrations[version - 1])
        {
            yield return dialect.Render(statement);
        }

        yield return $"UPDATE fleet_schema SET version = {version}";
    }
}
