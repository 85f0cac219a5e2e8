using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.Tests.Apdu;

public class SeAccessLockTests
{
    [Fact]
    public void Owner_TakesItAgain_AndMustGiveItBackAsOften()
    {
        var seLock = new SeAccessLock(SystemClock.Instance);
        object relay = new(), lab = new();
        Assert.True(seLock.TryEnter(relay, 0));
        Assert.True(seLock.TryEnter(relay, 0));
        seLock.Exit(relay);
        Assert.False(seLock.TryEnter(lab, 50));
        seLock.Exit(relay);
        Assert.True(seLock.TryEnter(lab, 0));
        Assert.Same(lab, seLock.Owner);
    }

    [Fact]
    public void Waiter_GetsItWhenTheHolderLetsGo()
    {
        var seLock = new SeAccessLock(SystemClock.Instance);
        object relay = new(), lab = new();
        seLock.TryEnter(relay, 0);
        var waiting = new NanoAgent.Drivers.Tests.Jrcp.Background<bool>(() => seLock.TryEnter(lab, 5000));
        Thread.Sleep(100);
        Assert.False(waiting.IsCompleted);
        seLock.Exit(relay);
        Assert.True(waiting.Result);
    }

    [Fact]
    public void ExitByANonHolder_IsABug()
    {
        var seLock = new SeAccessLock(SystemClock.Instance);
        Assert.Throws<InvalidOperationException>(() => seLock.Exit(new object()));
    }
}
