namespace NanoAgent.Fleet.Store;

/// <summary>Reads and writes <c>device_facts</c>: what each SD showed, kept across campaigns.</summary>
internal static class FactStore
{
    public static DeviceFacts? Get(Sql sql, string tenant, string device, string sd)
    {
        List<DeviceFacts> rows = sql.Rows(
            "SELECT sequence_counter, i_parameter, diversification FROM device_facts WHERE tenant = @t AND device = @d AND sd = @s",
            r => new DeviceFacts(r.GetInt32(0), (byte)r.GetInt32(1), Sql.NullableBytes(r, 2)), ("@t", tenant), ("@d", device), ("@s", sd));
        return rows.Count == 1 ? rows[0] : null;
    }

    public static void Put(Sql sql, string tenant, string device, string sd, DeviceFacts facts, long now) => sql.Execute(
        "INSERT INTO device_facts (tenant, device, sd, sequence_counter, i_parameter, diversification, updated_ms) VALUES (@t, @d, @s, @sc, @ip, @dv, @now) " +
        "ON CONFLICT (tenant, device, sd) DO UPDATE SET sequence_counter = @sc, i_parameter = @ip, " +
        "diversification = COALESCE(@dv, device_facts.diversification), updated_ms = @now",
        ("@t", tenant), ("@d", device), ("@s", sd), ("@sc", facts.SequenceCounter), ("@ip", facts.IParameter), ("@dv", facts.Diversification), ("@now", now));
}
