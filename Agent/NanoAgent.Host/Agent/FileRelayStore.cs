using System.Text.Json;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;

namespace NanoAgent.Host.Agent;

/// <summary>
/// An <see cref="IRelayStore"/> in a JSON file (<see cref="RelayStoreDocument"/>): counters, the last N results per tenant
/// and the traces of runs in flight. Every change is written before the call returns, atomically (temp file, flush to disk,
/// rename over the old file), so "sending i" is durable before the APDU goes out (docs/protocol.md §6) and a crash at any
/// point leaves either the old or the new file. A new instance on the same file (a restarted agent) sees exactly what was
/// recorded. A corrupt file is an error naming it, never a silent reset. Thread-safe.
/// </summary>
public sealed class FileRelayStore : IRelayStore
{
    private readonly object _gate = new();
    private readonly int _resultsPerTenant;
    private readonly RelayStoreDocument _document;

    /// <summary>Opens the store file, or starts an empty store when the file does not exist (it is written on the first change).</summary>
    /// <param name="path">The JSON file.</param>
    /// <param name="resultsPerTenant">How many results to keep per tenant (at least 1).</param>
    /// <exception cref="FileRelayStoreException">The file exists but cannot be read or is not a store file.</exception>
    public FileRelayStore(string path, int resultsPerTenant = InMemoryRelayStore.DefaultResultsPerTenant)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(resultsPerTenant, 1);
        Path = System.IO.Path.GetFullPath(path);
        _resultsPerTenant = resultsPerTenant;
        _document = Load(Path);
    }

    /// <summary>Gets the full path of the store file.</summary>
    public string Path { get; }

    /// <summary>Gets how many times the file was written (each durable change).</summary>
    public int Writes { get; private set; }

    /// <inheritdoc />
    public long GetCounter(string tenantId)
    {
        lock (_gate)
        {
            return _document.Counters.TryGetValue(tenantId, out uint value) ? value : -1;
        }
    }

    /// <inheritdoc />
    public void SetCounter(string tenantId, uint counter)
    {
        lock (_gate)
        {
            _document.Counters[tenantId] = counter;
            Save();
        }
    }

    /// <inheritdoc />
    public byte[]? FindResult(string tenantId, byte[] scriptId)
    {
        lock (_gate)
        {
            string key = Convert.ToHexString(scriptId);
            if (_document.Results.TryGetValue(tenantId, out var list))
            {
                foreach (var entry in list)
                {
                    if (entry.Id == key)
                    {
                        return Convert.FromHexString(entry.Result);
                    }
                }
            }

            return null;
        }
    }

    /// <inheritdoc />
    public void SaveResult(string tenantId, byte[] scriptId, byte[] encodedResult)
    {
        lock (_gate)
        {
            if (!_document.Results.TryGetValue(tenantId, out var list))
            {
                list = new List<RelayStoreDocument.StoredResult>();
                _document.Results[tenantId] = list;
            }

            string key = Convert.ToHexString(scriptId);
            list.RemoveAll(e => e.Id == key);
            list.Add(new RelayStoreDocument.StoredResult { Id = key, Result = Convert.ToHexString(encodedResult) });
            while (list.Count > _resultsPerTenant)
            {
                list.RemoveAt(0);
            }

            Save();
        }
    }

    /// <inheritdoc />
    public void BeginRun(InFlightRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            _document.Runs.RemoveAll(r => r.Tenant == run.TenantId);
            _document.Runs.Add(new RelayStoreDocument.StoredRun
            {
                Tenant = run.TenantId,
                Id = Convert.ToHexString(run.ScriptId),
                Counter = run.Counter,
                Steps = run.StepCount,
            });
            Save();
        }
    }

    /// <inheritdoc />
    public void MarkSending(string tenantId, int index)
    {
        lock (_gate)
        {
            if (FindRun(tenantId) is { } run)
            {
                run.Sending = index;
                Save();
            }
        }
    }

    /// <inheritdoc />
    public void MarkAnswered(string tenantId, StepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            if (FindRun(tenantId) is { } run)
            {
                run.Answered.Add(new RelayStoreDocument.StoredStep
                {
                    Index = result.Index, Outcome = (byte)result.Outcome, Sw = result.Sw, Data = result.Data is null ? null : Convert.ToHexString(result.Data),
                });
                if (run.Sending == result.Index)
                {
                    run.Sending = -1;
                }

                Save();
            }
        }
    }

    /// <inheritdoc />
    public void EndRun(string tenantId)
    {
        lock (_gate)
        {
            if (_document.Runs.RemoveAll(r => r.Tenant == tenantId) > 0)
            {
                Save();
            }
        }
    }

    /// <inheritdoc />
    public InFlightRun[] Runs()
    {
        lock (_gate)
        {
            var runs = new InFlightRun[_document.Runs.Count];
            for (int i = 0; i < runs.Length; i++)
            {
                RelayStoreDocument.StoredRun stored = _document.Runs[i];
                var run = new InFlightRun(stored.Tenant, Convert.FromHexString(stored.Id), stored.Counter, stored.Steps);
                foreach (var step in stored.Answered)
                {
                    run.MarkAnswered(new StepResult(step.Index, (StepOutcome)step.Outcome, step.Sw, step.Data is null ? null : Convert.FromHexString(step.Data)));
                }

                if (stored.Sending >= 0)
                {
                    run.MarkSending(stored.Sending);
                }

                runs[i] = run;
            }

            return runs;
        }
    }

    private static RelayStoreDocument Load(string path)
    {
        byte[] json;
        try
        {
            if (!File.Exists(path))
            {
                return new RelayStoreDocument();
            }

            json = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileRelayStoreException($"Relay store '{path}' cannot be read: {e.Message}", e);
        }

        try
        {
            RelayStoreDocument document = RelayStoreDocument.Parse(json);
            foreach (var run in document.Runs)
            {
                Convert.FromHexString(run.Id);
            }

            foreach (var (_, list) in document.Results)
            {
                foreach (var entry in list)
                {
                    Convert.FromHexString(entry.Id);
                    Convert.FromHexString(entry.Result);
                }
            }

            return document;
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or ArgumentException)
        {
            throw new FileRelayStoreException(
                $"Relay store '{path}' is corrupt ({e.Message}). It holds replay counters and interrupted runs, so it is not reset: "
                + "repair it, or move it away to start empty (replay protection then restarts from zero).", e);
        }
    }

    private RelayStoreDocument.StoredRun? FindRun(string tenantId) => _document.Runs.Find(r => r.Tenant == tenantId);

    // Temp file, flush to the disk, then rename over the old file: a crash leaves the old or the new content, never half.
    private void Save()
    {
        byte[] json = _document.ToJson();
        string temp = Path + ".tmp";
        try
        {
            string? dir = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }

            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(json);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
            Writes++;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileRelayStoreException($"Relay store '{Path}' cannot be written: {e.Message}", e);
        }
    }
}
