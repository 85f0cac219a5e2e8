using System.Text.Json;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;

namespace NanoAgent.Host.Agent;

/// <summary>
/// An <see cref="IRelayStore"/> in a JSON file (<see cref="RelayStoreDocument"/>): counters, the last N results per tenant
/// and the traces of runs in flight. Every change is written before the call returns, atomically (temp file, flush to disk,
/// rename over the old file), so "sending i" is durable before the APDU goes out (docs/protocol.md §6) and a crash at any
/// point leaves either the old or the new file. A new instance on the same file (a restarted agent) sees exactly what was
/// recorded. The store is never silently replaced: a missing file is an error unless created on purpose
/// (<see cref="Create"/>), and a corrupt, unreadable, read-only or directory path is an error naming it. A change that
/// cannot be written throws <see cref="FileRelayStoreException"/> and is undone in memory, so memory always equals the
/// file. Thread-safe.
/// </summary>
public sealed class FileRelayStore : IRelayStore
{
    private readonly object _gate = new();
    private readonly int _resultsPerTenant;
    private RelayStoreDocument _document;
    private byte[] _onDisk;

    private FileRelayStore(string path, int resultsPerTenant, RelayStoreDocument document, byte[] onDisk)
    {
        Path = path;
        _resultsPerTenant = resultsPerTenant;
        _document = document;
        _onDisk = onDisk;
    }

    /// <summary>Gets the full path of the store file.</summary>
    public string Path { get; }

    /// <summary>Gets how many times the file was written (each durable change).</summary>
    public int Writes { get; private set; }

    /// <summary>Opens an existing store file.</summary>
    /// <param name="path">The JSON file.</param>
    /// <param name="resultsPerTenant">How many results to keep per tenant (at least 1).</param>
    /// <returns>The store.</returns>
    /// <exception cref="FileRelayStoreException">The file is missing, a directory, read-only, unreadable or not a store file.</exception>
    public static FileRelayStore Open(string path, int resultsPerTenant = InMemoryRelayStore.DefaultResultsPerTenant)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(resultsPerTenant, 1);
        string full = System.IO.Path.GetFullPath(path);
        RejectDirectory(full);
        if (!File.Exists(full))
        {
            throw new FileRelayStoreException(RelayStoreError.Unavailable,
                $"{full}: relay store not found. It holds the replay counters and results, so an empty one is only started on purpose: "
                + "give --new-store to create it (replay protection then starts from zero), or the path of the existing store.");
        }

        RejectReadOnly(full);
        byte[] json;
        try
        {
            json = File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileRelayStoreException(RelayStoreError.Unavailable, $"{full}: relay store cannot be read: {e.Message}", e);
        }

        return new FileRelayStore(full, resultsPerTenant, Parse(full, json), json);
    }

    /// <summary>Creates a new, empty store file; an existing file is never replaced.</summary>
    /// <param name="path">The JSON file to create.</param>
    /// <param name="resultsPerTenant">How many results to keep per tenant (at least 1).</param>
    /// <returns>The store.</returns>
    /// <exception cref="FileRelayStoreException">The path exists, or the file cannot be written.</exception>
    public static FileRelayStore Create(string path, int resultsPerTenant = InMemoryRelayStore.DefaultResultsPerTenant)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(resultsPerTenant, 1);
        string full = System.IO.Path.GetFullPath(path);
        RejectDirectory(full);
        if (File.Exists(full))
        {
            throw new FileRelayStoreException(RelayStoreError.Unavailable,
                $"{full}: a relay store already exists here; --new-store only creates one and never replaces one (move it away first).");
        }

        var document = new RelayStoreDocument();
        var store = new FileRelayStore(full, resultsPerTenant, document, document.ToJson());
        store.Commit();
        return store;
    }

    /// <summary>
    /// Writes the unchanged content through the same path every change takes (temp file, flush, rename), so a store that
    /// cannot be written at all is found before anything is relayed.
    /// </summary>
    /// <exception cref="FileRelayStoreException">The store cannot be written.</exception>
    public void ProveWritable()
    {
        lock (_gate)
        {
            Commit();
        }
    }

    /// <inheritdoc />
    public ulong GetCounter(string tenantId)
    {
        lock (_gate)
        {
            return _document.Counters.TryGetValue(tenantId, out ulong value) ? value : 0;
        }
    }

    /// <inheritdoc />
    public void SetCounter(string tenantId, ulong counter)
    {
        lock (_gate)
        {
            _document.Counters[tenantId] = counter;
            Commit();
        }
    }

    /// <inheritdoc />
    public int GetAuthFailures(string tenantId)
    {
        lock (_gate)
        {
            return _document.AuthFailures.TryGetValue(tenantId, out int value) ? value : 0;
        }
    }

    /// <inheritdoc />
    public void SetAuthFailures(string tenantId, int failures)
    {
        lock (_gate)
        {
            if (failures == 0)
            {
                _document.AuthFailures.Remove(tenantId);
            }
            else
            {
                _document.AuthFailures[tenantId] = failures;
            }

            Commit();
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

            Commit();
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
            Commit();
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
                Commit();
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

                Commit();
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
                Commit();
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

    private static void RejectDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            throw new FileRelayStoreException(RelayStoreError.Unavailable, $"{path}: is a directory, not a relay store file.");
        }
    }

    // Root ignores permission bits, so the read-only attribute is honoured explicitly: an operator who marks the store
    // read-only gets an agent that refuses to run steps it cannot record, never one that replaces the file by rename.
    private static void RejectReadOnly(string path)
    {
        if (File.Exists(path) && (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0)
        {
            throw new FileRelayStoreException(RelayStoreError.Unavailable,
                $"{path}: relay store is read-only; the agent records every step before the SE sees it, so it needs write access.");
        }
    }

    private static RelayStoreDocument Parse(string path, byte[] json)
    {
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
            throw new FileRelayStoreException(RelayStoreError.Malformed,
                $"{path}: relay store is corrupt ({e.Message}). It holds replay counters and interrupted runs, so it is not reset: "
                + "repair it, or move it away and start with --new-store (replay protection then restarts from zero).", e);
        }
    }

    private RelayStoreDocument.StoredRun? FindRun(string tenantId) => _document.Runs.Find(r => r.Tenant == tenantId);

    // Writes the changed document (temp file, flush to the disk, rename over the old file: a crash leaves the old or the new
    // content, never half). On failure the change is undone in memory, so memory always equals the file.
    private void Commit()
    {
        byte[] json = _document.ToJson();
        string temp = Path + ".tmp";
        try
        {
            RejectReadOnly(Path);
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
            _onDisk = json;
            Writes++;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FileRelayStoreException)
        {
            _document = RelayStoreDocument.Parse(_onDisk);
            throw e as FileRelayStoreException
                ?? new FileRelayStoreException(RelayStoreError.WriteFailed, $"{Path}: relay store cannot be written: {e.Message}", e);
        }
    }
}
