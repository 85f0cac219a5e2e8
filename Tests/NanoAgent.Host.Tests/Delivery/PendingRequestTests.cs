using System.Collections.Concurrent;
using NanoAgent.Host.Delivery;

namespace NanoAgent.Host.Tests.Delivery;

/// <summary>The one re-send policy every sender uses (docs/reliability.md §1). Bounds, not timings, are asserted.</summary>
public sealed class PendingRequestTests
{
    [Fact]
    public void TryTake_AnswerWaiting_TakenWithoutResend()
    {
        int sends = 0;
        var pending = new PendingRequest(new ResendPolicy(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)), () => sends++);
        using var inbox = new BlockingCollection<string> { "answer" };

        pending.Send();

        Assert.True(pending.TryTake(inbox, out string item));
        Assert.Equal(("answer", 1, 1), (item, sends, pending.Sends));
    }

    [Fact]
    public void TryTake_NothingComes_ResendsSameRequestEachIntervalThenGivesUp()
    {
        int sends = 0;
        var policy = new ResendPolicy(TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(150));
        var pending = new PendingRequest(policy, () => sends++);
        using var inbox = new BlockingCollection<string>();

        pending.Send();

        Assert.False(pending.TryTake(inbox, out _));
        Assert.InRange(sends, 2, 1 + 4); // at least one re-send; never more often than once per interval
        Assert.Equal(sends, pending.Sends);
    }

    [Fact]
    public void LinkBack_FromAnotherThread_NextWaitResendsAtOnce()
    {
        int sends = 0;
        var pending = new PendingRequest(new ResendPolicy(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)), () => sends++);
        using var inbox = new BlockingCollection<string>();
        pending.Send();

        var other = new Thread(pending.LinkBack);
        other.Start();
        other.Join();
        inbox.Add("answer");

        Assert.True(pending.TryTake(inbox, out _));
        Assert.Equal(2, sends);
    }

    [Fact]
    public void Heard_RestartsTheTimeout()
    {
        var pending = new PendingRequest(new ResendPolicy(TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(30)), () => { });
        using var inbox = new BlockingCollection<string>();
        pending.Send();
        var feeder = new Thread(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                Thread.Sleep(100); // producing progress at a steady pace, not timing an assertion
                inbox.Add("progress");
            }
        });
        feeder.Start();

        int heard = 0;
        while (pending.TryTake(inbox, out _))
        {
            heard++;
            pending.Heard();
        }

        feeder.Join();
        Assert.Equal(20, heard); // 2 s of progress in all, more than the 1.5 s timeout
        Assert.Equal(1, pending.Sends); // progress postpones the re-send too
    }

    [Theory]
    [InlineData(30, 5)]
    [InlineData(3, 3)]
    public void For_IntervalIsFiveSecondsOrTheTimeoutIfShorter(int timeout, int interval)
    {
        ResendPolicy policy = ResendPolicy.For(TimeSpan.FromSeconds(timeout));
        Assert.Equal((TimeSpan.FromSeconds(timeout), TimeSpan.FromSeconds(interval)), (policy.Timeout, policy.Interval));
    }
}
