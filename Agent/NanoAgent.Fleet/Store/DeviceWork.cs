namespace NanoAgent.Fleet.Store;

/// <summary>
/// A worker's side of the fleet database. Claims lock the campaign row (<c>FOR UPDATE</c>: the in-flight and per-minute
/// limits hold across every worker) and then the device rows with <c>FOR UPDATE SKIP LOCKED</c> (a claimer never waits
/// for rows another worker is writing); each claim is a lease on the database clock that the worker renews. A device
/// whose lease ran out is claimed again by any worker, with the request its last holder recorded, which the new holder
/// publishes again byte for byte. Every write checks that this worker still holds the device, so a worker that lost a
/// lease can record nothing. On SQLite the write transaction (<c>BEGIN IMMEDIATE</c>) holds the whole file instead.
/// </summary>
public sealed class DeviceWork
{
    private readonly FleetDatabase _db;
    private readonly string _campaign;

    /// <summary>Creates the worker's view of one campaign.</summary>
    /// <param name="db">The database.</param>
    /// <param name="campaign">The campaign name.</param>
    /// <param name="worker">This worker's id (host, process and a random part), stored as the lease owner.</param>
    public DeviceWork(FleetDatabase db, string campaign, string worker)
    {
        _db = db;
        _campaign = campaign;
        Worker = worker;
    }

    /// <summary>Returns the database.</summary>
    /// <returns>The database.</returns>
    public FleetDatabase Database() => _db;

    /// <summary>The tenant counters each claim reserves for its device: one for the SD's facts, one for the script.</summary>
    public const int CountersPerClaim = 2;

    /// <summary>Gets this worker's id.</summary>
    public string Worker { get; }

    /// <summary>Claims up to <paramref name="max"/> devices: expired leases first (taken over, whatever the campaign's state),
    /// then, while the campaign is active, queued devices whose retry time has come, in list order, within the campaign's
    /// in-flight and per-minute limits.</summary>
    /// <param name="max">The most devices this worker can start now.</param>
    /// <returns>The campaign as it stands, and the devices claimed (none when it is not active or a limit is reached).</returns>
    public (CampaignRecord Campaign, List<DeviceClaim> Claims) Claim(int max) => _db.Write(sql =>
    {
        CampaignRecord c = CampaignStore.Get(sql, _campaign, _db, lockRow: true);
        var claims = new List<DeviceClaim>();
        if (max <= 0)
        {
            return (c, claims);
        }

        RolloutRules rules = c.Definition.Rules;
        long now = sql.NowMs();
        long inFlight = sql.Long("SELECT COUNT(*) FROM campaign_devices WHERE campaign = @c AND state = 'in_progress' AND lease_until_ms >= @now", ("@c", _campaign), ("@now", now));
        long room = Math.Min(max, rules.MaxInFlight - inFlight);
        long fresh = room;
        if (rules.MaxPerMinute > 0)
        {
            fresh = Math.Min(room, rules.MaxPerMinute - sql.Long("SELECT COUNT(*) FROM campaign_devices WHERE campaign = @c AND started_ms > @since", ("@c", _campaign), ("@since", now - 60_000)));
        }

        long lease = now + (long)rules.Lease.TotalMilliseconds;
        if (room > 0)
        {
            // Taken over: a take-over is no new start, so the per-minute limit does not hold it back.
            foreach (var row in sql.Rows(
                "SELECT device, attempts, started_ms, lease_owner, script_id, tenant_counter, sequence_counter, host_challenge, request FROM campaign_devices " +
                "WHERE campaign = @c AND state = 'in_progress' AND lease_until_ms < @now ORDER BY position LIMIT @n{SKIP_LOCKED}",
                r => new DeviceClaim
                {
                    Device = r.GetString(0), Attempts = r.GetInt32(1), StartedMs = r.GetInt64(2), ClaimedMs = now, TakenFrom = Sql.NullableText(r, 3),
                    Sent = r.IsDBNull(8) ? null : new SentRequest
                    {
                        ScriptId = (byte[])r.GetValue(4), TenantCounter = r.GetInt64(5), SequenceCounter = r.GetInt32(6),
                        HostChallenge = (byte[])r.GetValue(7), Request = (byte[])r.GetValue(8),
                    },
                },
                ("@c", _campaign), ("@now", now), ("@n", room)))
            {
                sql.Execute("UPDATE campaign_devices SET lease_owner = @w, lease_until_ms = @lease, worker = @w WHERE campaign = @c AND device = @d",
                    ("@w", Worker), ("@lease", lease), ("@c", _campaign), ("@d", row.Device));
                Event(sql, row.Device, now, DeviceState.InProgress, DeviceState.InProgress, $"taken over from {row.TakenFrom} (lease ended)");
                claims.Add(row with { Counter = TakeCounter(sql, c.Definition.Tenant, row.Device, 0, CountersPerClaim) - 1 });
            }
        }

        // A cancelled or aborted campaign starts no device, but devices already started are still taken over and finished.
        fresh = c.State == CampaignState.Active ? Math.Min(fresh, room - claims.Count) : 0;
        if (fresh > 0)
        {
            foreach (var row in sql.Rows(
                "SELECT device, attempts, script_id, tenant_counter, sequence_counter, host_challenge, request FROM campaign_devices " +
                "WHERE campaign = @c AND state = 'queued' AND not_before_ms <= @now ORDER BY position LIMIT @n{SKIP_LOCKED}",
                r => new DeviceClaim
                {
                    Device = r.GetString(0), Attempts = r.GetInt32(1) + 1, StartedMs = now, ClaimedMs = now,
                    Sent = r.IsDBNull(6) ? null : new SentRequest
                    {
                        ScriptId = (byte[])r.GetValue(2), TenantCounter = r.GetInt64(3), SequenceCounter = r.GetInt32(4),
                        HostChallenge = (byte[])r.GetValue(5), Request = (byte[])r.GetValue(6),
                    },
                },
                ("@c", _campaign), ("@now", now), ("@n", fresh)))
            {
                sql.Execute(
                    "UPDATE campaign_devices SET state = 'in_progress', attempts = @a, lease_owner = @w, lease_until_ms = @lease, started_ms = @now, " +
                    "first_started_ms = COALESCE(first_started_ms, @now), worker = @w WHERE campaign = @c AND device = @d AND state = 'queued'",
                    ("@a", row.Attempts), ("@w", Worker), ("@lease", lease), ("@now", now), ("@c", _campaign), ("@d", row.Device));
                Event(sql, row.Device, now, DeviceState.Queued, DeviceState.InProgress, $"attempt {row.Attempts}");
                claims.Add(row with { Counter = TakeCounter(sql, c.Definition.Tenant, row.Device, 0, CountersPerClaim) - 1 });
            }
        }

        return (c, claims);
    });

    /// <summary>Takes the next tenant counter for a device: greater than every counter the fleet sent it, and at least the
    /// Unix time in seconds (as <c>backend run</c> does), under this worker's lease.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="device">The device.</param>
    /// <param name="atLeast">A floor (e.g. after a "replayed counter" rejection), or 0.</param>
    /// <returns>The counter, or null when this worker no longer holds the device.</returns>
    public long? NextCounter(string tenant, string device, long atLeast = 0) => _db.Write(sql => HoldsLease(sql, device) ? (long?)TakeCounter(sql, tenant, device, atLeast, 1) : null);

    /// <summary>Records a request before it is first published, in one transaction (with what the SD showed, when given).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="device">The device.</param>
    /// <param name="build">Builds the request for the counter given (called inside the transaction).</param>
    /// <param name="counter">A counter reserved for this device (<see cref="DeviceClaim.Counter"/>), or null to take the next one.</param>
    /// <param name="facts">The SD's facts to keep in the same transaction (SD AID in hex and facts), or null.</param>
    /// <returns>The recorded request, or null when this worker no longer holds the device (then it must not publish).</returns>
    public SentRequest? RecordRequest(string tenant, string device, Func<long, SentRequest> build, long? counter = null, (string Sd, DeviceFacts Facts)? facts = null) => _db.Write(sql =>
    {
        if (!HoldsLease(sql, device))
        {
            return null;
        }

        if (facts is { } f)
        {
            FactStore.Put(sql, tenant, device, f.Sd, f.Facts, sql.NowMs());
        }

        SentRequest request = build(counter ?? TakeCounter(sql, tenant, device, 0, 1));
        sql.Execute(
            "UPDATE campaign_devices SET script_id = @id, tenant_counter = @tc, sequence_counter = @sc, host_challenge = @hc, request = @rq, sends = sends + 1 " +
            "WHERE campaign = @c AND device = @d",
            ("@id", request.ScriptId), ("@tc", request.TenantCounter), ("@sc", request.SequenceCounter), ("@hc", request.HostChallenge),
            ("@rq", request.Request), ("@c", _campaign), ("@d", device));
        return request;
    });

    /// <summary>Counts one more publish of the recorded request (a re-send after a take-over or a retry).</summary>
    /// <param name="device">The device.</param>
    /// <returns>False when this worker no longer holds the device.</returns>
    public bool CountResend(string device) => _db.Write(sql =>
        sql.Execute("UPDATE campaign_devices SET sends = sends + 1 WHERE campaign = @c AND device = @d AND state = 'in_progress' AND lease_owner = @w",
            ("@c", _campaign), ("@d", device), ("@w", Worker)) == 1);

    /// <summary>Forgets the recorded request of a device whose request the relay refused without running it (it consumed
    /// nothing), so the next try builds a new one.</summary>
    /// <param name="device">The device.</param>
    /// <returns>False when this worker no longer holds the device.</returns>
    public bool ForgetRequest(string device) => _db.Write(sql =>
        sql.Execute("UPDATE campaign_devices SET request = NULL, script_id = NULL WHERE campaign = @c AND device = @d AND state = 'in_progress' AND lease_owner = @w",
            ("@c", _campaign), ("@d", device), ("@w", Worker)) == 1);

    /// <summary>Finishes a device: a final state with its results; the campaign's counts, abort rule and end follow in the
    /// same transaction.</summary>
    /// <param name="device">The device.</param>
    /// <param name="outcome">The outcome (a final state).</param>
    /// <param name="facts">What the device's SD showed, to remember for the next campaign, or null.</param>
    /// <returns>False when this worker no longer holds the device (another worker took it over; nothing recorded).</returns>
    /// <exception cref="FleetStoreException">The outcome is not a final state (illegal transition).</exception>
    public bool Finish(string device, DeviceOutcome outcome, (string Tenant, string Sd, DeviceFacts Facts)? facts = null)
    {
        if (!DeviceStates.CanMove(DeviceState.InProgress, outcome.State) || !outcome.State.IsFinal())
        {
            throw new FleetStoreException(FleetStoreError.IllegalTransition, $"{device}: in_progress cannot become {outcome.State.Name()}");
        }

        return _db.Write(sql =>
        {
            CampaignRecord c = CampaignStore.Get(sql, _campaign, _db, lockRow: true);
            long now = sql.NowMs();
            int n = sql.Execute(
                "UPDATE campaign_devices SET state = @s, finished_ms = @now, lease_owner = NULL, lease_until_ms = NULL, steps_total = @st, " +
                "steps_passed = @sp, last_sw = @sw, detail = @detail, steps = @steps WHERE campaign = @c AND device = @d AND state = 'in_progress' AND lease_owner = @w",
                ("@s", outcome.State.Name()), ("@now", now), ("@st", outcome.StepsTotal), ("@sp", outcome.StepsPassed), ("@sw", outcome.LastSw),
                ("@detail", outcome.Detail), ("@steps", outcome.StepsJson), ("@c", _campaign), ("@d", device), ("@w", Worker));
            if (n == 0)
            {
                return false;
            }

            Event(sql, device, now, DeviceState.InProgress, outcome.State, outcome.Detail);
            if (facts is { } f)
            {
                FactStore.Put(sql, f.Tenant, device, f.Sd, f.Facts, now);
            }

            string column = "n_" + outcome.State.Name();
            sql.Execute($"UPDATE campaigns SET {column} = {column} + 1, updated_ms = @now WHERE name = @c", ("@now", now), ("@c", _campaign));
            long finished = c.FinishedCount + (outcome.State == DeviceState.Cancelled ? 0 : 1) - c.AbortBase.Finished;
            long failures = c.Failures + (outcome.State.IsFailure() ? 1 : 0) - c.AbortBase.Failures;
            if (c.State == CampaignState.Active && c.Definition.Rules.ShouldAbort(finished, failures))
            {
                sql.Execute("UPDATE campaigns SET state = 'aborted', state_reason = @why WHERE name = @c",
                    ("@why", $"{failures} of {finished} devices failed, more than {c.Definition.Rules.AbortPercent} %"), ("@c", _campaign));
            }
            else if (c.State == CampaignState.Active && c.FinishedCount + c.Count(DeviceState.Cancelled) + 1 == c.DeviceCount)
            {
                sql.Execute("UPDATE campaigns SET state = 'finished' WHERE name = @c", ("@c", _campaign));
            }

            return true;
        });
    }

    /// <summary>Puts a device back in the queue for a later try (offline, busy), keeping a recorded request for re-sending.</summary>
    /// <param name="device">The device.</param>
    /// <param name="delay">How long before it may be claimed again.</param>
    /// <param name="why">Why, kept as the device's detail.</param>
    /// <returns>False when this worker no longer holds the device.</returns>
    public bool Requeue(string device, TimeSpan delay, string why) => _db.Write(sql =>
    {
        long now = sql.NowMs();
        int n = sql.Execute(
            "UPDATE campaign_devices SET state = 'queued', not_before_ms = @nb, lease_owner = NULL, lease_until_ms = NULL, detail = @why " +
            "WHERE campaign = @c AND device = @d AND state = 'in_progress' AND lease_owner = @w",
            ("@nb", now + (long)delay.TotalMilliseconds), ("@why", why), ("@c", _campaign), ("@d", device), ("@w", Worker));
        if (n == 1)
        {
            Event(sql, device, now, DeviceState.InProgress, DeviceState.Queued, why);
        }

        return n == 1;
    });

    /// <summary>Lets a queued device be claimed at once (it came online while waiting for its retry time).</summary>
    /// <param name="device">The device.</param>
    /// <returns>False when the device is not queued.</returns>
    public bool WakeUp(string device) => _db.Write(sql => sql.Execute(
        "UPDATE campaign_devices SET not_before_ms = 0 WHERE campaign = @c AND device = @d AND state = 'queued' AND not_before_ms > 0",
        ("@c", _campaign), ("@d", device)) == 1);

    /// <summary>Counts the devices not yet in a final state (under any worker's lease).</summary>
    /// <param name="includeQueued">True to count queued devices too; false for those in progress only.</param>
    /// <returns>The count.</returns>
    public long Unfinished(bool includeQueued) => _db.Read(sql => sql.Long(
        "SELECT COUNT(*) FROM campaign_devices WHERE campaign = @c AND state IN ('in_progress'" + (includeQueued ? ", 'queued')" : ")"), ("@c", _campaign)));

    /// <summary>Renews the leases of every device this worker holds in the campaign.</summary>
    /// <returns>How many leases were renewed.</returns>
    public int RenewLeases() => _db.Write(sql => sql.Execute(
        "UPDATE campaign_devices SET lease_until_ms = {NOW} + (SELECT lease_ms FROM campaigns WHERE name = @c) " +
        "WHERE campaign = @c AND lease_owner = @w AND state = 'in_progress'", ("@c", _campaign), ("@w", Worker)));

    /// <summary>Ends this worker's leases at once (a graceful stop): other workers take its devices over without waiting.</summary>
    /// <returns>How many leases were released.</returns>
    public int ReleaseLeases() => _db.Write(sql => sql.Execute(
        "UPDATE campaign_devices SET lease_until_ms = 0 WHERE campaign = @c AND lease_owner = @w AND state = 'in_progress'", ("@c", _campaign), ("@w", Worker)));

    /// <summary>Reads what is known of a device's SD.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="device">The device.</param>
    /// <param name="sd">The SD AID in hex.</param>
    /// <returns>The facts, or null.</returns>
    public DeviceFacts? Facts(string tenant, string device, string sd) => _db.Read(sql => FactStore.Get(sql, tenant, device, sd));

    /// <summary>Records what a device's SD showed (after a probe), without finishing the device.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="device">The device.</param>
    /// <param name="sd">The SD AID in hex.</param>
    /// <param name="facts">The facts.</param>
    public void PutFacts(string tenant, string device, string sd, DeviceFacts facts) => _db.Write(sql =>
    {
        FactStore.Put(sql, tenant, device, sd, facts, sql.NowMs());
        return 0;
    });

    private bool HoldsLease(Sql sql, string device) => sql.Long(
        "SELECT COUNT(*) FROM campaign_devices WHERE campaign = @c AND device = @d AND state = 'in_progress' AND lease_owner = @w",
        ("@c", _campaign), ("@d", device), ("@w", Worker)) == 1;

    // Takes n counters for a device and returns the last: greater than every counter taken before, at least the Unix time.
    private static long TakeCounter(Sql sql, string tenant, string device, long atLeast, int n)
    {
        long unix = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), atLeast) + n - 1;
        return sql.Rows(
            "INSERT INTO request_counters (tenant, device, last_counter) VALUES (@t, @d, @u) " +
            "ON CONFLICT (tenant, device) DO UPDATE SET last_counter = {GREATEST}(request_counters.last_counter + @n, @u) RETURNING last_counter",
            r => r.GetInt64(0), ("@t", tenant), ("@d", device), ("@u", unix), ("@n", n))[0];
    }

    private void Event(Sql sql, string device, long now, DeviceState from, DeviceState to, string? detail) => sql.Execute(
        "INSERT INTO device_events (campaign, device, at_ms, from_state, to_state, worker, detail) VALUES (@c, @d, @now, @f, @t, @w, @x)",
        ("@c", _campaign), ("@d", device), ("@now", now), ("@f", from.Name()), ("@t", to.Name()), ("@w", Worker), ("@x", detail));
}
