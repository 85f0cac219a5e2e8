using System.Collections.Concurrent;
using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Provision;

namespace NanoAgent.Host.Fleet;

/// <summary>
/// One <c>campaign run</c> process: claims devices from the database within the campaign's limits, runs each on one of
/// its slots (<see cref="DeviceRunner"/>), renews its leases, draws the progress bar, and stops when the campaign has no
/// device left that is queued or in progress (taking over the devices of workers that died), when it is cancelled or
/// aborted and its own devices are done, or on a signal (its leases are then released for the other workers).
/// </summary>
public sealed class CampaignWorker
{
    private readonly CampaignContext _context;
    private readonly int _slots;
    private readonly TextWriter _output;
    private readonly ConcurrentDictionary<string, byte> _waitingForOnline = new(StringComparer.Ordinal);
    private readonly BlockingCollection<DeviceClaim> _queue = [];
    private readonly AutoResetEvent _slotFreed = new(false);
    private int _busy;
    private int _finished;

    /// <summary>Creates the worker.</summary>
    /// <param name="context">The campaign, keys, database and broker.</param>
    /// <param name="slots">How many devices this worker runs at once.</param>
    /// <param name="output">Progress lines.</param>
    public CampaignWorker(CampaignContext context, int slots, TextWriter output)
    {
        _context = context;
        _slots = Math.Max(1, slots);
        _output = output;
        context.Broker.CameOnline += device =>
        {
            if (_waitingForOnline.TryRemove(device, out _))
            {
                ThreadPool.QueueUserWorkItem(_ => TryWake(device));
            }
        };
    }

    /// <summary>Gets how long the loop waits after a slot frees before it claims, gathering more free slots.</summary>
    public TimeSpan ClaimGather { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Gets how often the progress line is printed.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets the devices this worker brought to a final state or back to the queue.</summary>
    public int Handled => Volatile.Read(ref _finished);

    /// <summary>Runs until the campaign needs this worker no more, or <paramref name="stop"/> fires.</summary>
    /// <param name="stop">Cancelled by SIGTERM/SIGINT.</param>
    /// <returns>The campaign as it stands at the end.</returns>
    public CampaignRecord Run(CancellationToken stop)
    {
        DeviceWork work = _context.Work;
        var runner = new DeviceRunner(_context, device => _waitingForOnline[device] = 0);
        using var cancelRuns = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var threads = new List<Thread>();
        for (int i = 0; i < _slots; i++)
        {
            var thread = new Thread(() => Slot(runner, cancelRuns.Token)) { IsBackground = true, Name = $"campaign-slot-{i}" };
            threads.Add(thread);
            thread.Start();
        }

        TimeSpan renewEvery = TimeSpan.FromMilliseconds(Math.Max(100, _context.Rules.Lease.TotalMilliseconds / 3));
        DateTime nextRenew = DateTime.UtcNow + renewEvery, nextProgress = DateTime.UtcNow;
        var store = new CampaignStore(work.Database());
        CampaignRecord campaign = store.Get(_context.Campaign.Name);
        while (true)
        {
            int free = _slots - Volatile.Read(ref _busy);
            List<DeviceClaim> claims = [];
            if (free > 0)
            {
                (campaign, claims) = work.Claim(free);
                foreach (DeviceClaim claim in claims)
                {
                    Interlocked.Increment(ref _busy);
                    _queue.Add(claim);
                }
            }

            if (DateTime.UtcNow >= nextProgress)
            {
                campaign = store.Get(_context.Campaign.Name);
                Progress(campaign);
                nextProgress = DateTime.UtcNow + ProgressInterval;
            }

            bool mine = Volatile.Read(ref _busy) > 0;
            if (!mine && claims.Count == 0 && work.Unfinished(includeQueued: campaign.State == CampaignState.Active) == 0)
            {
                break;
            }

            if (DateTime.UtcNow >= nextRenew)
            {
                work.RenewLeases();
                nextRenew = DateTime.UtcNow + renewEvery;
            }

            // A finishing device wakes the loop (after a few ms, so one claim takes the slots freed meanwhile: fewer
            // transactions); with nothing to claim, poll a few times a second.
            if (WaitHandle.WaitAny([stop.WaitHandle, _slotFreed], claims.Count > 0 && claims.Count == free ? 0 : 250) == 0
                || stop.WaitHandle.WaitOne(ClaimGather))
            {
                break;
            }
        }

        _queue.CompleteAdding();
        if (stop.IsCancellationRequested)
        {
            cancelRuns.Cancel();
            foreach (Thread thread in threads)
            {
                thread.Join(TimeSpan.FromSeconds(5));
            }

            int released = work.ReleaseLeases();
            _output.WriteLine($"stopped: {released} device(s) in progress released for the other workers (their requests are re-sent as recorded)");
        }
        else
        {
            foreach (Thread thread in threads)
            {
                thread.Join();
            }
        }

        campaign = store.Get(_context.Campaign.Name);
        Progress(campaign);
        return campaign;
    }

    private void Slot(DeviceRunner runner, CancellationToken cancel)
    {
        foreach (DeviceClaim claim in _queue.GetConsumingEnumerable())
        {
            try
            {
                if (!cancel.IsCancellationRequested)
                {
                    runner.Run(claim, cancel);
                    Interlocked.Increment(ref _finished);
                }
            }
            catch (FleetStoreException e)
            {
                _output.WriteLine($"{claim.Device}: the database failed: {e.Message} (the lease runs out and another try follows)");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A key source or verifier that threw (a bug, a lost token): the device is recorded failed with why, the worker goes on.
                _output.WriteLine($"{claim.Device}: {e.GetType().Name}: {e.Message}");
                TryFail(claim.Device, $"worker error: {e.GetType().Name}: {e.Message}");
            }
            finally
            {
                Interlocked.Decrement(ref _busy);
                _slotFreed.Set();
            }
        }
    }

    private void TryFail(string device, string why)
    {
        try
        {
            _context.Work.Finish(device, new DeviceOutcome { State = DeviceState.Failed, Detail = why });
        }
        catch (FleetStoreException)
        {
            // The lease runs out and another worker tries.
        }
    }

    private void TryWake(string device)
    {
        try
        {
            _context.Work.WakeUp(device);
        }
        catch (FleetStoreException)
        {
            // The retry time comes anyway.
        }
    }

    private void Progress(CampaignRecord c)
    {
        long done = c.FinishedCount + c.Count(DeviceState.Cancelled);
        _output.WriteLine($"{ProgressBar.Bar(done, c.DeviceCount)} {done}/{c.DeviceCount} devices: {c.Count(DeviceState.Succeeded)} succeeded, " +
            $"{c.Count(DeviceState.Failed)} failed, {c.Count(DeviceState.TimedOut)} timed out, {c.Count(DeviceState.Rejected)} rejected, " +
            $"{c.Count(DeviceState.Cancelled)} cancelled; {Volatile.Read(ref _busy)} running here; campaign {CampaignStore.StateName(c.State)}");
    }
}
