using System.Text.Json;
using System.Text.Json.Nodes;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Provision;

/// <summary>
/// The console's journal: one JSON line per finished item (bundle id, tenant, script id, outcome, the agent's encoded
/// result), appended and flushed as soon as the result arrives. A re-run with the same journal skips those items. Lines
/// of other bundles and a torn last line (the laptop died mid-write: no line end) are ignored; any other line that is not
/// a journal entry makes the file corrupt (<see cref="InputFileException"/>), since skipping it could run a finished item
/// again under a new journal.
/// </summary>
public sealed class ProvisionJournal
{
    private readonly string _path;
    private readonly string _bundleId;
    private readonly Dictionary<string, byte[]> _results = new(StringComparer.OrdinalIgnoreCase);
    private long _tornTailAt = -1;

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
    /// <exception cref="InputFileException">The path is a directory, the file cannot be read, or a line other than a torn
    /// last one is not a journal entry.</exception>
    public static ProvisionJournal Open(string path, string bundleId)
    {
        var journal = new ProvisionJournal(path, bundleId);
        InputFile.RejectDirectory(path, "provisioning journal");
        if (!File.Exists(path))
        {
            return journal;
        }

        string text = InputFile.ReadText(path, "provisioning journal");
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            bool torn = i == lines.Length - 1; // no line end after it: the write was cut (or the file ends with '\n' and this is empty)
            if (line.Length == 0)
            {
                continue;
            }

            if (torn)
            {
                journal._tornTailAt = System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, text.Length - lines[i].Length));
            }

            try
            {
                if (JsonNode.Parse(line) is not JsonObject entry || (string?)entry["bundleId"] is not { } bundle
                    || (string?)entry["scriptId"] is not { } id || (string?)entry["result"] is not { } result)
                {
                    throw new FormatException("not a journal entry (bundleId, scriptId and result are required)");
                }

                if (bundle == bundleId)
                {
                    journal._results[id] = Convert.FromBase64String(result);
                }
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                if (!torn)
                {
                    throw new InputFileException(path, $"line {i + 1} is corrupt ({e.Message}); repair or remove that line, since a finished item it records would otherwise run again", e);
                }

                // A torn last line: that item simply runs again (same script id: answered from the relay's store).
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
        using (var stream = OpenForAppend())
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(entry.ToJsonString());
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        _results[item.ScriptIdHex] = result;
    }

    private FileStream OpenForAppend()
    {
        try
        {
            var stream = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
            if (_tornTailAt >= 0)
            {
                // Drop the torn line first, so the new entry starts a line and the file has no bad line in its middle.
                stream.SetLength(_tornTailAt);
                _tornTailAt = -1;
            }

            stream.Seek(0, SeekOrigin.End);
            return stream;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException(_path, $"cannot write the provisioning journal: {e.Message}", e);
        }
    }
}
