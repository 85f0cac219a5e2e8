using System.Text.Json;

namespace NanoAgent.VirtualSe.Gate;

/// <summary>
/// An <see cref="IGateStore"/> in one JSON file next to the card state (for example <c>se.gate.json</c>). Every save
/// rewrites the file atomically (temporary file, flush to disk, rename), as <see cref="State.CardStateStore"/> does, so
/// a power loss leaves the old or the new counters, never a torn file. A corrupt file is an error, never a reset.
/// </summary>
public sealed class GateFileStore : IGateStore
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly Dictionary<string, GateRecord> _records;
    private readonly object _lock = new();

    /// <summary>Opens (or starts) the store at a path.</summary>
    /// <param name="path">The file; created on first save.</param>
    /// <exception cref="GateStoreException">The file exists but cannot be read or is corrupt.</exception>
    public GateFileStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _records = Load(Path);
    }

    /// <summary>Gets the full path of the file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public GateRecord? Find(string aid)
    {
        lock (_lock)
        {
            return _records.TryGetValue(aid, out GateRecord? r) ? r.Clone() : null;
        }
    }

    /// <inheritdoc />
    public void Save(GateRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            var next = new Dictionary<string, GateRecord>(_records, StringComparer.Ordinal) { [record.Aid] = record.Clone() };
            string temp = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    JsonSerializer.Serialize(stream, next.Values.ToArray(), JsonOptions);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temp, Path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                try
                {
                    File.Delete(temp);
                }
                catch (Exception e2) when (e2 is IOException or UnauthorizedAccessException)
                {
                    // The temporary file is garbage either way.
                }

                throw new GateStoreException($"Cannot write the gate file '{Path}': {e.Message}", e);
            }

            // Only a durable save changes what Find returns.
            _records[record.Aid] = record.Clone();
        }
    }

    private static Dictionary<string, GateRecord> Load(string path)
    {
        var records = new Dictionary<string, GateRecord>(StringComparer.Ordinal);
        if (Directory.Exists(path))
        {
            throw new GateStoreException($"The gate file '{path}' is a directory, not a gate file.");
        }

        if (!File.Exists(path))
        {
            return records;
        }

        try
        {
            GateRecord[]? all = JsonSerializer.Deserialize<GateRecord[]>(File.ReadAllBytes(path), JsonOptions);
            foreach (GateRecord r in all ?? throw new JsonException("null"))
            {
                records[r.Aid] = r;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new GateStoreException($"The gate file '{path}' cannot be read or is corrupt ({e.Message}); it was left untouched.", e);
        }

        return records;
    }
}
