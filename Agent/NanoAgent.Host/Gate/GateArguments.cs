namespace NanoAgent.Host.Gate;

/// <summary>Argument checks shared by the gated-data backend commands.</summary>
public static class GateArguments
{
    /// <summary>Parses a gate instance AID.</summary>
    /// <param name="hex">The AID in hex.</param>
    /// <returns>The AID bytes.</returns>
    /// <exception cref="GateBackendException">Not 5 to 16 bytes of hex (exit 2).</exception>
    public static byte[] ParseAid(string hex)
    {
        try
        {
            byte[] aid = Convert.FromHexString(hex);
            if (aid.Length is >= 5 and <= 16)
            {
                return aid;
            }
        }
        catch (FormatException)
        {
        }

        throw new GateBackendException(2, $"--gate '{hex}' is not an AID (5 to 16 bytes in hex, e.g. F06E616E6F47410A)");
    }

    /// <summary>The default counter file of a device, tenant and direction under <c>~/.nanoagent</c>.</summary>
    /// <param name="device">Device id.</param>
    /// <param name="tenant">Tenant id.</param>
    /// <param name="kind"><c>readings</c> or <c>commands</c>.</param>
    /// <returns>The path.</returns>
    public static string DefaultCounterPath(string device, string tenant, string kind) => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nanoagent", $"gate-{device}-{tenant}-{kind}.counter");
}
