namespace NanoAgent.Fleet;

/// <summary>
/// A campaign's device list: one device id a line (1 to 64 of <c>A-Z a-z 0-9 . _ -</c>, the topic's device level), blank
/// lines and <c>#</c> comments ignored. A bad id or a device listed twice refuses the whole list with the line number.
/// </summary>
public static class DeviceList
{
    /// <summary>The most devices one campaign takes.</summary>
    public const int MaxDevices = 10_000_000;

    /// <summary>Returns whether a text is a device id.</summary>
    /// <param name="id">The text.</param>
    /// <returns>True for 1 to 64 characters of <c>A-Z a-z 0-9 . _ -</c>.</returns>
    public static bool IsValidDeviceId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses a device list.</summary>
    /// <param name="text">The list.</param>
    /// <returns>The ids, in order.</returns>
    /// <exception cref="DeviceListException">A bad id, a repeated id, too many or no device (with the line number).</exception>
    public static List<string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int line = 0;
        foreach (string raw in text.Split('\n'))
        {
            line++;
            int hash = raw.IndexOf('#', StringComparison.Ordinal);
            string id = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (id.Length == 0)
            {
                continue;
            }

            if (!IsValidDeviceId(id))
            {
                string shown = id.Length > 40 ? id[..40] + "..." : id;
                throw new DeviceListException(line, $"'{shown}' is not a device id (1 to 64 of A-Z a-z 0-9 . _ -, one a line)");
            }

            if (seen.TryGetValue(id, out int first))
            {
                throw new DeviceListException(line, $"device '{id}' is listed twice (first on line {first})");
            }

            if (ids.Count == MaxDevices)
            {
                throw new DeviceListException(line, $"more than {MaxDevices} devices");
            }

            seen[id] = line;
            ids.Add(id);
        }

        return ids.Count == 0 ? throw new DeviceListException(0, "no device listed") : ids;
    }
}
