using System.Text.Json;
using System.Text.Json.Nodes;

namespace NanoAgent.Host.Provision;

/// <summary>
/// The console's journal: one JSON line per finished item (bundle id, tenant, script id, outcome, the agent's encoded
/// result), appended and flushed as soon as the result arrives. A re-run with the same journal skips those items. Lines
/// of other bundles and a torn last line (the laptop died mid-write) are ignored.
/// </summary>
public sealed class ProvisionJournal
{
    private readonly string _path;
    private readonly string _bundleId;
    private readonly Dictionary<string, byte[]> _results = new(StringComparer.OrdinalIgnoreCase);

    private ProvisionJournal(string path, string bundleId)
    {
        _path = path;
        _bundleId = bundleId;
    }

    /// <summary>Gets the number of finished items of this bundle found in the file when it was opened or added since.</summary>
    public int Count => _results.Count;

    /// <summary>Opens (or prepares to create) a journal and reads the items of one bundle already finished.</summary>
    /// <param name="path">The journal file.</param>
    /// <param name="bundleId">The bundle id.</param>
    /// <returns>The journal.</returns>
    /// <exception cref="IOException">The file exists but cannot be read.</exception>
    public static ProvisionJournal Open(string path, string bundleId)
    {
        var journal = new ProvisionJournal(path, bundleId);
        if (!File.Exists(path))
        {
            return journal;
        }

        foreach (string line in File.ReadLines(path))
        {
            try
            {
                if (JsonNode.Parse(line) is JsonObject entry && (string?)entry["bundleId"] == bundleId
                    && (string?)entry["scriptId"] is { } id && (string?)entry["result"] is { } result)
                {
                    journal._results[id] = Convert.FromBase64String(result);
                }
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                // A torn or foreign line: that item simply runs again (same script id: answered from the relay's store).
            }
        }

        return journal;
    }

    /// <summary>Gets the stored result of an item finished in an earlier run, or null.</summary>
    /// <param name="item">The item.</param>
    /// <returns>The encoded <c>E5</c> result, or null.</returns>
    public byte[]? Find(BundleItem item) => _results.GetValueOrDefault(item.ScriptIdHex);

    /// <summary>Records a finished item (appended and flushed before the console goes on).</summary>
    /// <param name="item">The item.</param>
    /// <param name="outcome">The outcome in words.</param>
    /// <param name="result">The agent's encoded result.</param>
    public void Record(BundleItem item, string outcome, byte[] result)
    {
        var entry = new JsonObject
        {
            ["bundleId"] = _bundleId, ["order"] = item.Order, ["tenant"] = item.Tenant, ["scriptId"] = item.ScriptIdHex,
            ["outcome"] = outcome, ["time"] = DateTimeOffset.UtcNow.ToString("O"), ["result"] = Convert.ToBase64String(result),
        };
        using (var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(entry.ToJsonString());
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        _results[item.ScriptIdHex] = result;
    }
}
