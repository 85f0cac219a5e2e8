using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Service;
using NanoAgent.Host.Delivery;

namespace NanoAgent.Host.Provision;

/// <summary>
/// Runs a verified bundle through the device's relay (docs/provisioning.md §3): each item in order, skipping those the
/// journal says finished; publishes the request, draws a progress bar from the agent's progress messages, waits (bounded)
/// for the result, journals it, and re-sends the SAME bytes (same script id) after a link drop, an agent restart or a
/// silence, so the relay answers from its store if the script already ran. Stops at the first item that does not
/// complete. Ends with a receipt and a summary.
/// </summary>
public sealed class ProvisionConsole
{
    private readonly ProvisionOptions _options;
    private readonly TextWriter _out;

    /// <summary>Creates the console.</summary>
    /// <param name="options">Device, broker, journal, receipt, timeouts.</param>
    /// <param name="output">Where progress and the summary go.</param>
    public ProvisionConsole(ProvisionOptions options, TextWriter output)
    {
        _options = options;
        _out = output;
    }

    /// <summary>Raised on the console thread for each progress message of the running item (steps answered, steps in all).</summary>
    public event Action<BundleItem, int, int>? Progress;

    /// <summary>Raised on the console thread after an item's result is journaled.</summary>
    public event Action<ItemRecord>? ItemFinished;

    /// <summary>Gets the receipt of the last run (docs/provisioning.md §4), or null before one ended.</summary>
    public System.Text.Json.Nodes.JsonObject? Receipt { get; private set; }

    /// <summary>Gets why the last run stopped before the end, or null when every item completed.</summary>
    public string? Stopped { get; private set; }

    /// <summary>Gets a value indicating whether running the same bundle again can finish what the last run did not.</summary>
    public bool Resumable { get; private set; }

    /// <summary>Runs the bundle.</summary>
    /// <param name="bundle">A bundle whose signature was verified.</param>
    /// <param name="cancel">Stops the run between messages (the journal keeps what finished).</param>
    /// <returns>0 when every item completed, 1 otherwise.</returns>
    /// <exception cref="ProvisionBundleException">The bundle is for another device.</exception>
    /// <exception cref="MqttConnectionException">The broker cannot be reached at the start.</exception>
    public int Run(ProvisionBundle bundle, CancellationToken cancel = default)
    {
        if (bundle.Device != _options.Device)
        {
            throw new ProvisionBundleException(ProvisionBundleError.WrongDevice, $"the bundle is for device '{bundle.Device}', not '{_options.Device}'");
        }

        DateTimeOffset started = DateTimeOffset.UtcNow;
        ProvisionJournal journal = ProvisionJournal.Open(_options.JournalPath, bundle.BundleId);
        _out.WriteLine($"bundle {bundle.BundleId} for {bundle.Device}: {bundle.Items.Count} items, {bundle.Items.Sum(i => i.StepCount)} steps, tenants {string.Join(", ", bundle.Items.Select(i => i.Tenant).Distinct())}; signature ok");
        if (journal.Count > 0)
        {
            _out.WriteLine($"journal {_options.JournalPath}: {journal.Count} item(s) already done, resuming");
        }

        var records = new List<ItemRecord>();
        string? stop = null;
        bool resumable = true;
        using (ProvisionLink link = ProvisionLink.Connect(_options, bundle.Items.Select(i => i.Tenant)))
        {
            _out.WriteLine($"connected to {_options.Broker}");
            foreach (BundleItem item in bundle.Items)
            {
                if (stop is not null)
                {
                    records.Add(new ItemRecord(item, null, null, "not run"));
                    continue;
                }

                string name = $"[{item.Order}/{bundle.Items.Count}] {item.Tenant}";
                ItemRecord record;
                if (journal.Find(item) is { } done)
                {
                    record = new ItemRecord(item, ReportMessageCodec.DecodeResult(done), done, "journal");
                    _out.WriteLine($"{name}: {record.Outcome} in an earlier run (journal): skipped");
                }
                else
                {
                    byte[]? raw = Exchange(link, item, name, cancel, out string? why);
                    if (raw is null)
                    {
                        records.Add(new ItemRecord(item, null, null, why!));
                        stop = why;
                        continue;
                    }

                    record = new ItemRecord(item, ReportMessageCodec.DecodeResult(raw), raw, "run");
                    journal.Record(item, record.Outcome, raw);
                    _out.WriteLine($"{name}: {record.Outcome} ({record.StepsPassed}/{item.StepCount} steps passed)");
                    ItemFinished?.Invoke(record);
                }

                records.Add(record);
                if (!record.Completed)
                {
                    // Its result is final (a script id runs once), so a re-run would stop here again.
                    stop = $"item {item.Order} ({item.Tenant}) ended {record.Outcome}";
                    resumable = false;
                }
            }
        }

        SeIdentity? identity = records.Where(r => r.Result is not null)
            .Select(r => SeIdentity.Find(BundleItem.Decode(r.Item.Request), r.Result!)).FirstOrDefault(i => i is not null);
        Receipt = ProvisionReceipt.Build(bundle, records, identity, started);
        (Stopped, Resumable) = (stop, stop is not null && resumable);
        ProvisionReceipt.Write(_options.ReceiptPath, Receipt);
        PrintSummary(records, identity, stop, resumable);
        return stop is null ? 0 : 1;
    }

    // One item: send, then wait for its result; null (with the reason) when cancelled or the agent stays silent too long.
    private byte[]? Exchange(ProvisionLink link, BundleItem item, string name, CancellationToken cancel, out string? why)
    {
        string resTopic = AgentTopics.Response(_options.Device, item.Tenant), progressTopic = AgentTopics.Progress(_options.Device, item.Tenant);
        string statusTopic = AgentTopics.Status(_options.Device);
        _out.WriteLine($"{name}: sending script {item.ScriptIdHex} ({item.StepCount} steps)");
        // Re-sent byte for byte after ResendAfter of silence and when the link or the device comes back (docs/reliability.md).
        var pending = new PendingRequest(new ResendPolicy(_options.ItemTimeout, _options.ResendAfter), () => link.Send(item.Tenant, item.Request));
        pending.Send();
        bool away = false;
        while (true)
        {
            int sends = pending.Sends;
            bool taken;
            object? next;
            try
            {
                taken = pending.TryTake(link.Events, out next, cancel);
            }
            catch (OperationCanceledException)
            {
                why = "cancelled";
                return null;
            }

            if (pending.Sends > sends)
            {
                _out.WriteLine($"{name}: no answer for {_options.ResendAfter.TotalSeconds:0} s, still waiting; sent again (same script id)");
                away = false;
            }

            if (!taken)
            {
                why = $"no answer from {_options.Device} for {_options.ItemTimeout.TotalSeconds:0} s";
                return null;
            }

            switch (next)
            {
                case ProvisionLink.LinkChange.Lost:
                    _out.WriteLine($"{name}: broker link lost; reconnecting (the item will be sent again with the same script id, never applied twice)");
                    away = true;
                    break;
                case ProvisionLink.LinkChange.Back:
                    _out.WriteLine($"{name}: broker link back; sending again, the relay answers from its store if the script already ran");
                    pending.Send();
                    away = false;
                    break;
                case MqttMessage m when m.Topic == statusTopic:
                    bool online = TryDecode(() => StatusMessageCodec.DecodeStatus(m.Payload))?.Online == true;
                    if (!online)
                    {
                        _out.WriteLine($"{name}: {_options.Device} is offline; waiting for it to come back");
                        away = true;
                    }
                    else if (away)
                    {
                        _out.WriteLine($"{name}: {_options.Device} is online again; sending again (same script id)");
                        pending.Send();
                        away = false;
                    }

                    break;
                case MqttMessage m when m.Topic == progressTopic:
                    if (TryDecode(() => ReportMessageCodec.DecodeProgress(m.Payload)) is { } p && p.ScriptId.AsSpan().SequenceEqual(item.ScriptId))
                    {
                        pending.Heard();
                        _out.WriteLine(ProgressBar.Line(item.Tenant, p.StepsDone, p.StepCount));
                        Progress?.Invoke(item, p.StepsDone, p.StepCount);
                    }

                    break;
                case MqttMessage m when m.Topic == resTopic:
                    if (TryDecode(() => ReportMessageCodec.DecodeResult(m.Payload)) is { } r && r.ScriptId.AsSpan().SequenceEqual(item.ScriptId))
                    {
                        why = null;
                        return m.Payload;
                    }

                    break;
            }
        }
    }

    private static T? TryDecode<T>(Func<T> decode)
        where T : class
    {
        try
        {
            return decode();
        }
        catch (AgentMessageException)
        {
            return null;
        }
    }

    private void PrintSummary(List<ItemRecord> records, SeIdentity? identity, string? stop, bool resumable)
    {
        _out.WriteLine();
        _out.WriteLine($"{"#",-3} {"tenant",-12} {"steps",-9} outcome");
        foreach (ItemRecord r in records)
        {
            _out.WriteLine($"{r.Item.Order,-3} {r.Item.Tenant,-12} {$"{r.StepsPassed}/{r.Item.StepCount}",-9} {r.Outcome}{(r.Source == "journal" ? " (journal)" : string.Empty)}");
        }

        _out.WriteLine(identity is null
            ? "SE identity: no CPLC in the results (the bundle has no plain GET DATA 9F7F step, or it did not run)"
            : $"SE serial {identity.IcSerial} (CPLC {Convert.ToHexString(identity.Cplc)})");
        _out.WriteLine($"receipt written to {_options.ReceiptPath}");
        _out.WriteLine(stop is null
            ? "provisioning complete."
            : resumable
                ? $"provisioning NOT complete: {stop}. Run the same command again with --journal {_options.JournalPath} to resume."
                : $"provisioning NOT complete: {stop}. Running this bundle again cannot change that: the result of a script id is final "
                    + "(docs/provisioning.md §3). The tenant's backend must issue a new script (new counter and script id) and the owner "
                    + "pack a new bundle with it and the items after it; the receipt shows which steps reached the SE.");
    }
}
