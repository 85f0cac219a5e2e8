using System.Data.Common;

namespace NanoAgent.Fleet.Store;

/// <summary>
/// Campaigns in the fleet database: create one with its device list (one transaction: all or nothing), read it, cancel or
/// resume it, and read its devices and their history for <c>status</c> and <c>report</c>. The worker's side (claims,
/// leases, results) is <see cref="DeviceWork"/>.
/// </summary>
public sealed class CampaignStore
{
    internal const string CampaignColumns =
        "name, tenant, sd, channel, level, s16, mode, key_version, script_name, script_text, max_in_flight, max_per_minute, " +
        "abort_percent, abort_min_devices, device_timeout_ms, max_attempts, retry_base_ms, retry_max_ms, lease_ms, state, " +
        "state_reason, device_count, n_succeeded, n_failed, n_timed_out, n_rejected, n_cancelled, abort_base_finished, " +
        "abort_base_failures, created_ms, updated_ms";

    private const string DeviceColumns =
        "device, state, attempts, sends, worker, first_started_ms, finished_ms, steps_total, steps_passed, last_sw, detail, steps, tenant_counter, script_id";

    private static readonly string[] CampaignStateNames = ["active", "aborted", "cancelled", "finished"];

    private readonly FleetDatabase _db;

    /// <summary>Creates the store over an open database.</summary>
    /// <param name="db">The database.</param>
    public CampaignStore(FleetDatabase db) => _db = db;

    /// <summary>Gets the database.</summary>
    public FleetDatabase Database => _db;

    /// <summary>Creates a campaign with its devices, all queued, in one transaction.</summary>
    /// <param name="definition">The campaign.</param>
    /// <param name="devices">The device ids (checked: valid, no duplicates).</param>
    /// <exception cref="FleetStoreException">A campaign of that name exists (nothing changed).</exception>
    public void Create(CampaignDefinition definition, IReadOnlyList<string> devices)
    {
        RolloutRules r = definition.Rules;
        _db.Write(sql =>
        {
            if (sql.Long("SELECT COUNT(*) FROM campaigns WHERE name = @n", ("@n", definition.Name)) > 0)
            {
                throw new FleetStoreException(FleetStoreError.CampaignExists, $"campaign '{definition.Name}' exists already in {_db.Display}");
            }

            long now = sql.NowMs();
            sql.Execute(
                "INSERT INTO campaigns (" + CampaignColumns + ") VALUES (@name, @tenant, @sd, @channel, @level, @s16, @mode, @kvn, @sname, " +
                "@stext, @mif, @mpm, @ap, @amd, @dt, @ma, @rb, @rm, @lease, 'active', NULL, @count, 0, 0, 0, 0, 0, 0, 0, @now, @now)",
                ("@name", definition.Name), ("@tenant", definition.Tenant), ("@sd", Convert.ToHexString(definition.Sd)),
                ("@channel", definition.Channel), ("@level", definition.Level), ("@s16", definition.S16), ("@mode", definition.Mode),
                ("@kvn", definition.KeyVersion), ("@sname", definition.ScriptName), ("@stext", definition.ScriptText),
                ("@mif", r.MaxInFlight), ("@mpm", r.MaxPerMinute), ("@ap", r.AbortPercent), ("@amd", r.AbortMinDevices),
                ("@dt", (long)r.DeviceTimeout.TotalMilliseconds), ("@ma", r.MaxAttempts), ("@rb", (long)r.RetryBase.TotalMilliseconds),
                ("@rm", (long)r.RetryMax.TotalMilliseconds), ("@lease", (long)r.Lease.TotalMilliseconds), ("@count", devices.Count), ("@now", now));
            InsertDevices(sql, definition.Name, devices);
            return 0;
        });
    }

    /// <summary>Reads a campaign.</summary>
    /// <param name="name">The campaign name.</param>
    /// <returns>The campaign.</returns>
    /// <exception cref="FleetStoreException">No campaign of that name.</exception>
    public CampaignRecord Get(string name) => _db.Read(sql => Get(sql, name, _db));

    /// <summary>Lists the campaigns' names, oldest first.</summary>
    /// <returns>The names.</returns>
    public List<string> Names() => _db.IsEmpty ? [] : _db.Read(sql => sql.Rows("SELECT name FROM campaigns ORDER BY created_ms, name", r => r.GetString(0)));

    /// <summary>Cancels a campaign: its queued devices become cancelled at once; devices in progress finish.</summary>
    /// <param name="name">The campaign.</param>
    /// <param name="reason">Why (kept with the campaign).</param>
    /// <returns>The number of devices cancelled.</returns>
    /// <exception cref="FleetStoreException">Unknown campaign, or one that already finished.</exception>
    public int Cancel(string name, string reason)
    {
        return _db.Write(sql =>
        {
            CampaignRecord c = Get(sql, name, _db, lockRow: true);
            if (c.State == CampaignState.Finished)
            {
                throw new FleetStoreException(FleetStoreError.IllegalTransition, $"campaign '{name}' has finished: nothing to cancel");
            }

            long now = sql.NowMs();
            sql.Execute(
                "INSERT INTO device_events (campaign, device, at_ms, from_state, to_state, worker, detail) " +
                "SELECT campaign, device, @now, 'queued', 'cancelled', NULL, @why FROM campaign_devices WHERE campaign = @c AND state = 'queued'",
                ("@c", name), ("@now", now), ("@why", reason));
            int n = sql.Execute(
                "UPDATE campaign_devices SET state = 'cancelled', finished_ms = @now, detail = @why WHERE campaign = @c AND state = 'queued'",
                ("@c", name), ("@now", now), ("@why", reason));
            sql.Execute(
                "UPDATE campaigns SET state = 'cancelled', state_reason = @why, n_cancelled = n_cancelled + @n, updated_ms = @now WHERE name = @c",
                ("@c", name), ("@why", reason), ("@n", n), ("@now", now));
            return n;
        });
    }

    /// <summary>Resumes an aborted campaign: active again, and the abort rule counts from now on.</summary>
    /// <param name="name">The campaign.</param>
    /// <exception cref="FleetStoreException">Unknown campaign, or one that is not aborted.</exception>
    public void Resume(string name)
    {
        _db.Write(sql =>
        {
            CampaignRecord c = Get(sql, name, _db, lockRow: true);
            if (c.State != CampaignState.Aborted)
            {
                throw new FleetStoreException(FleetStoreError.IllegalTransition, $"campaign '{name}' is {StateName(c.State)}, not aborted: nothing to resume");
            }

            return sql.Execute(
                "UPDATE campaigns SET state = 'active', state_reason = NULL, abort_base_finished = @f, abort_base_failures = @x, updated_ms = {NOW} WHERE name = @c",
                ("@c", name), ("@f", c.FinishedCount), ("@x", c.Failures));
        });
    }

    /// <summary>Counts a campaign's devices per state (from the device rows themselves).</summary>
    /// <param name="name">The campaign.</param>
    /// <returns>The counts, every state present.</returns>
    public Dictionary<DeviceState, long> CountByState(string name)
    {
        var counts = DeviceStates.All.ToDictionary(s => s, _ => 0L);
        foreach ((string state, long n) in _db.Read(sql => sql.Rows(
            "SELECT state, COUNT(*) FROM campaign_devices WHERE campaign = @c GROUP BY state", r => (r.GetString(0), r.GetInt64(1)), ("@c", name))))
        {
            if (DeviceStates.TryParse(state, out DeviceState s))
            {
                counts[s] = n;
            }
        }

        return counts;
    }

    /// <summary>Counts the devices in progress per worker, and those started in the last minute.</summary>
    /// <param name="name">The campaign.</param>
    /// <returns>Workers with their devices in progress under a live lease, and the starts in the last 60 s.</returns>
    public (Dictionary<string, long> Workers, long StartedLastMinute) Activity(string name) => _db.Read(sql =>
    {
        long now = sql.NowMs();
        var workers = sql.Rows(
            "SELECT lease_owner, COUNT(*) FROM campaign_devices WHERE campaign = @c AND state = 'in_progress' AND lease_until_ms >= @now GROUP BY lease_owner",
            r => (r.GetString(0), r.GetInt64(1)), ("@c", name), ("@now", now)).ToDictionary(w => w.Item1, w => w.Item2);
        long started = sql.Long("SELECT COUNT(*) FROM campaign_devices WHERE campaign = @c AND started_ms > @since", ("@c", name), ("@since", now - 60_000));
        return (workers, started);
    });

    /// <summary>Reads a campaign's devices in list order (or one device).</summary>
    /// <param name="name">The campaign.</param>
    /// <param name="device">One device, or null for all.</param>
    /// <returns>The devices.</returns>
    public List<DeviceRecord> Devices(string name, string? device = null) => _db.Read(sql => sql.Rows(
        "SELECT " + DeviceColumns + " FROM campaign_devices WHERE campaign = @c" + (device is null ? string.Empty : " AND device = @d") + " ORDER BY position",
        ReadDevice, ("@c", name), ("@d", device)));

    /// <summary>Reads one device's state changes, oldest first.</summary>
    /// <param name="name">The campaign.</param>
    /// <param name="device">The device.</param>
    /// <returns>(time, from, to, worker, detail) per change.</returns>
    public List<(long AtMs, string? From, string To, string? Worker, string? Detail)> Events(string name, string device) => _db.Read(sql => sql.Rows(
        "SELECT at_ms, from_state, to_state, worker, detail FROM device_events WHERE campaign = @c AND device = @d ORDER BY id",
        r => (r.GetInt64(0), Sql.NullableText(r, 1), r.GetString(2), Sql.NullableText(r, 3), Sql.NullableText(r, 4)), ("@c", name), ("@d", device)));

    /// <summary>Returns the stored name of a campaign state.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name.</returns>
    public static string StateName(CampaignState state) => CampaignStateNames[(int)state];

    internal static CampaignRecord Get(Sql sql, string name, FleetDatabase db, bool lockRow = false)
    {
        List<CampaignRecord> rows = db.IsEmpty ? [] : sql.Rows(
            "SELECT " + CampaignColumns + " FROM campaigns WHERE name = @n" + (lockRow ? "{FOR_UPDATE}" : string.Empty), ReadCampaign, ("@n", name));
        return rows.Count == 1 ? rows[0] : throw new FleetStoreException(FleetStoreError.UnknownCampaign, $"no campaign '{name}' in {db.Display}");
    }

    private static void InsertDevices(Sql sql, string campaign, IReadOnlyList<string> devices)
    {
        // Multi-row inserts of 200: one round trip per 200 devices on PostgreSQL.
        const int Chunk = 200;
        for (int start = 0; start < devices.Count; start += Chunk)
        {
            int n = Math.Min(Chunk, devices.Count - start);
            var values = new System.Text.StringBuilder();
            var args = new (string, object?)[n * 2 + 1];
            args[0] = ("@c", campaign);
            for (int i = 0; i < n; i++)
            {
                values.Append(i == 0 ? string.Empty : ", ").Append($"(@c, @p{i}, @d{i}, 'queued')");
                args[1 + 2 * i] = ($"@p{i}", start + i);
                args[2 + 2 * i] = ($"@d{i}", devices[start + i]);
            }

            sql.Execute("INSERT INTO campaign_devices (campaign, position, device, state) VALUES " + values, args);
        }
    }

    private static CampaignRecord ReadCampaign(DbDataReader r)
    {
        var rules = new RolloutRules
        {
            MaxInFlight = r.GetInt32(10), MaxPerMinute = r.GetInt32(11), AbortPercent = r.GetInt32(12), AbortMinDevices = r.GetInt32(13),
            DeviceTimeout = TimeSpan.FromMilliseconds(r.GetInt64(14)), MaxAttempts = r.GetInt32(15),
            RetryBase = TimeSpan.FromMilliseconds(r.GetInt64(16)), RetryMax = TimeSpan.FromMilliseconds(r.GetInt64(17)), Lease = TimeSpan.FromMilliseconds(r.GetInt64(18)),
        };
        var definition = new CampaignDefinition
        {
            Name = r.GetString(0), Tenant = r.GetString(1), Sd = Convert.FromHexString(r.GetString(2)), Channel = r.GetInt32(3),
            Level = (byte)r.GetInt32(4), S16 = r.GetInt32(5) != 0, Mode = r.GetString(6), KeyVersion = (byte)r.GetInt32(7),
            ScriptName = r.GetString(8), ScriptText = r.GetString(9), Rules = rules,
        };
        return new CampaignRecord
        {
            Definition = definition,
            State = (CampaignState)Math.Max(0, Array.IndexOf(CampaignStateNames, r.GetString(19))),
            StateReason = Sql.NullableText(r, 20),
            DeviceCount = r.GetInt32(21),
            Finished = new Dictionary<DeviceState, long>
            {
                [DeviceState.Succeeded] = r.GetInt64(22), [DeviceState.Failed] = r.GetInt64(23), [DeviceState.TimedOut] = r.GetInt64(24),
                [DeviceState.Rejected] = r.GetInt64(25), [DeviceState.Cancelled] = r.GetInt64(26),
            },
            AbortBase = (r.GetInt64(27), r.GetInt64(28)),
            CreatedMs = r.GetInt64(29),
            UpdatedMs = r.GetInt64(30),
        };
    }

    private static DeviceRecord ReadDevice(DbDataReader r) => new()
    {
        Device = r.GetString(0),
        State = DeviceStates.TryParse(r.GetString(1), out DeviceState s) ? s : DeviceState.Queued,
        Attempts = r.GetInt32(2),
        Sends = r.GetInt32(3),
        Worker = Sql.NullableText(r, 4),
        FirstStartedMs = Sql.NullableLong(r, 5),
        FinishedMs = Sql.NullableLong(r, 6),
        StepsTotal = (int?)Sql.NullableLong(r, 7),
        StepsPassed = (int?)Sql.NullableLong(r, 8),
        LastSw = (int?)Sql.NullableLong(r, 9),
        Detail = Sql.NullableText(r, 10),
        StepsJson = Sql.NullableText(r, 11),
        TenantCounter = Sql.NullableLong(r, 12),
        ScriptId = Sql.NullableBytes(r, 13),
    };
}
