using System.Collections.Concurrent;
using System.Diagnostics;

namespace NanoAgent.Host.Delivery;

/// <summary>
/// One request a sender waits on, under a <see cref="ResendPolicy"/>: <see cref="Send"/> publishes it; <see cref="TryTake"/>
/// waits for the next incoming item, publishing the same bytes again whenever the interval passes without an answer or
/// <see cref="LinkBack"/> was signalled (from any thread), and gives up when the timeout passes with nothing heard.
/// </summary>
public sealed class PendingRequest
{
    // Bounds each wait so a link-back signal from another thread is acted on promptly.
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(250);
    private readonly ResendPolicy _policy;
    private readonly Action _publish;
    private readonly Stopwatch _sinceSend = new();
    private readonly Stopwatch _quiet = new();
    private int _linkBack;

    /// <summary>Creates the request (nothing is sent yet).</summary>
    /// <param name="policy">Timeout and re-send interval.</param>
    /// <param name="publish">Publishes the request's bytes (the same bytes every time).</param>
    public PendingRequest(ResendPolicy policy, Action publish)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _publish = publish ?? throw new ArgumentNullException(nameof(publish));
    }

    /// <summary>Gets how many times the request was published.</summary>
    public int Sends { get; private set; }

    /// <summary>Gets the policy.</summary>
    public ResendPolicy Policy => _policy;

    /// <summary>Publishes the request (first send or re-send) and restarts the re-send interval.</summary>
    public void Send()
    {
        if (!_quiet.IsRunning)
        {
            _quiet.Start();
        }

        _publish();
        Sends++;
        _sinceSend.Restart();
    }

    /// <summary>Says the agent was heard working on this request (progress, or an answer): the timeout and the re-send
    /// interval start again.</summary>
    public void Heard()
    {
        _quiet.Restart();
        _sinceSend.Restart();
    }

    /// <summary>Signals that the broker link is back (any thread): the next wait re-sends at once.</summary>
    public void LinkBack() => Interlocked.Exchange(ref _linkBack, 1);

    /// <summary>Waits for the next item, re-sending as the policy says.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="source">Where answers arrive.</param>
    /// <param name="item">The item taken.</param>
    /// <param name="cancel">Stops the wait.</param>
    /// <returns>True with an item; false when the timeout passed with nothing heard.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled.</exception>
    public bool TryTake<T>(BlockingCollection<T> source, out T item, CancellationToken cancel = default)
    {
        while (true)
        {
            if (Interlocked.Exchange(ref _linkBack, 0) == 1 || _sinceSend.Elapsed >= _policy.Interval)
            {
                Send();
            }

            TimeSpan left = _policy.Timeout - _quiet.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                item = default!;
                return false;
            }

            TimeSpan wait = Min(Min(left, _policy.Interval - _sinceSend.Elapsed), Slice);
            if (source.TryTake(out item!, wait < TimeSpan.Zero ? 0 : (int)Math.Ceiling(wait.TotalMilliseconds), cancel))
            {
                return true;
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
