using System.Text.Json;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Fleet;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Delivery;

namespace NanoAgent.Host.Fleet;

/// <summary>
/// Runs one claimed device to an outcome and records it: waits for the device's retained status (offline: back in the
/// queue with back-off), runs the script in the campaign's mode (<see cref="BatchDeviceRun"/>, <see cref="InteractiveDeviceRun"/>),
/// and maps what the relay answered to the device state machine. Everything it learns goes to the database before it acts
/// on it; a worker killed at any point leaves a device another worker finishes without applying the script twice.
/// </summary>
public sealed class DeviceRunner
{
    private readonly CampaignContext _context;
    private readonly Action<string> _waitingForOnline;

    /// <summary>Creates the runner.</summary>
    /// <param name="context">The worker's shared context.</param>
    /// <param name="waitingForOnline">Told of a device put back in the queue because it is offline (to wake it when it comes online).</param>
    public DeviceRunner(CampaignContext context, Action<string> waitingForOnline)
    {
        _context = context;
        _waitingForOnline = waitingForOnline;
    }

    /// <summary>Runs a device.</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="cancel">Stops waiting (the worker is stopping; the lease is released and another worker re-sends).</param>
    public void Run(DeviceClaim claim, CancellationToken cancel)
    {
        string device = claim.Device;
        TimeSpan elapsed = TimeSpan.FromMilliseconds(Math.Max(0, claim.ClaimedMs - claim.StartedMs));
        TimeSpan remaining = _context.Rules.DeviceTimeout - elapsed;
        if (remaining < TimeSpan.FromSeconds(5))
        {
            remaining = TimeSpan.FromSeconds(5); // a device taken over late still gets one answer wait
        }

        bool? online = _context.Broker.WaitForStatus(device, _context.StatusWait, cancel);
        if (cancel.IsCancellationRequested)
        {
            return;
        }

        if (online != true)
        {
            _waitingForOnline(device);
            Retry(claim, online == false ? "offline (its retained status)" : "no status from the device (never connected?)");
            return;
        }

        using BackendLink link = _context.Broker.Link(device);
        link.Policy = ResendPolicy.For(remaining);
        using var stop = cancel.Register(link.Dispose);
        try
        {
            if (_context.Campaign.Mode == "interactive")
            {
                new InteractiveDeviceRun(_context, this, claim, link, remaining).Run();
            }
            else
            {
                new BatchDeviceRun(_context, this, claim, link, remaining).Run();
            }
        }
        catch (BackendException e) when (e.ExitCode == 3 && !cancel.IsCancellationRequested)
        {
            Retry(claim, $"no answer within {remaining.TotalSeconds:0} s (the request is kept and sent again as it is)");
        }
        catch (MasterKeyException e) when (!cancel.IsCancellationRequested)
        {
            // The token holding the master key failed: the device waits for its next try (a recorded request is re-sent then as it is).
            Retry(claim, $"no keys for the device: {e.Message}");
        }
        catch (Exception e) when (cancel.IsCancellationRequested && e is ObjectDisposedException or InvalidOperationException or BackendException)
        {
            // Stopping: the lease is released, another worker re-sends the recorded request.
        }
    }

    /// <summary>Puts the device back in the queue with back-off, or times it out after its last attempt.</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="why">Why.</param>
    internal void Retry(DeviceClaim claim, string why)
    {
        if (claim.Attempts >= _context.Rules.MaxAttempts)
        {
            _context.Work.Finish(claim.Device, new DeviceOutcome { State = DeviceState.TimedOut, Detail = $"{why}; gave up after {claim.Attempts} attempts" });
        }
        else
        {
            _context.Work.Requeue(claim.Device, _context.Rules.RetryDelay(claim.Attempts), why);
        }
    }

    /// <summary>Handles a request the relay refused: the reasons that consumed nothing and pass are tried again; the others
    /// are final (<see cref="DeviceState.Rejected"/>).</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="result">The rejection.</param>
    /// <param name="counter">The counter of the refused request.</param>
    internal void Rejected(DeviceClaim claim, ScriptResult result, long counter)
    {
        string why = TenantBackend.Describe(result);
        switch (result.Reason)
        {
            case RejectReason.ReplayedCounter:
                // The agent accepted a higher counter from elsewhere (backend run, another tool): jump past it, try again now.
                _context.Work.NextCounter(_context.Campaign.Tenant, claim.Device, counter + 65536);
                _context.Work.ForgetRequest(claim.Device);
                _context.Work.Requeue(claim.Device, TimeSpan.Zero, why);
                break;
            case RejectReason.Busy or RejectReason.VerifierUnavailable or RejectReason.StorageError:
                _context.Work.ForgetRequest(claim.Device);
                Retry(claim, why);
                break;
            default:
                _context.Work.Finish(claim.Device, new DeviceOutcome { State = DeviceState.Rejected, Detail = why });
                break;
        }
    }

    /// <summary>Turns a verified report into the outcome recorded with the device.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The outcome.</returns>
    internal static DeviceOutcome Outcome(BackendReport report) => new()
    {
        State = report.Succeeded ? DeviceState.Succeeded : DeviceState.Failed,
        Detail = report.Succeeded ? string.Empty : report.Failure ?? "not every step met its expectation",
        StepsTotal = report.Total,
        StepsPassed = report.Steps.Count(s => s.Passed),
        LastSw = report.Steps.LastOrDefault(s => s.Sw is not null)?.Sw,
        StepsJson = JsonSerializer.Serialize(report.Steps.Select(s => new DeviceStep(
            s.Index, s.Name, s.Sw is { } sw ? sw.ToString("X4") : null, s.Expected, s.Passed, s.Note.Length == 0 ? null : s.Note,
            s.Data is { Length: > 0 } d ? Convert.ToHexString(d) : null)), JsonOptions),
    };

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
