using CsCheck;
using NanoAgent.Agent.Relay;

namespace NanoAgent.Agent.Tests.Relay;

public class SlotPoolTests
{
    [Fact]
    public void TryTake_HandsOutLowestFreeSlots_ThenNone()
    {
        var pool = new SlotPool(2, 4, 1000);

        Assert.Equal((0, 1, SlotPool.NoSlot), (pool.TryTake("a"), pool.TryTake("b"), pool.TryTake("c")));
        Assert.Equal(("a", "b", 0), (pool.HolderOf(0), pool.HolderOf(1), pool.FreeCount));
        pool.Release(0);
        Assert.Equal((0, "d"), (pool.TryTake("d"), pool.HolderOf(0)));
    }

    [Fact]
    public void Waiters_AreServedFirstComeFirstServed_AndANewcomerNeverOvertakesThem()
    {
        var pool = new SlotPool(1, 4, 1000);
        pool.TryTake("holder");
        Assert.True(pool.Enqueue("first", 10));
        Assert.True(pool.Enqueue("second", 20));

        pool.Release(0);
        Assert.Equal(SlotPool.NoSlot, pool.TryTake("newcomer")); // a slot is free, but two wait
        Assert.Equal((0, "first"), (pool.Grant(out object? waiter), waiter));
        Assert.Equal(SlotPool.NoSlot, pool.Grant(out waiter));
        Assert.Null(waiter);
        pool.Release(0);
        Assert.Equal((0, "second"), (pool.Grant(out waiter), waiter));
        Assert.Equal(0, pool.WaitingCount);
    }

    [Fact]
    public void Enqueue_QueueFull_Refused()
    {
        var pool = new SlotPool(1, 1, 1000);
        pool.TryTake("holder");

        Assert.True(pool.Enqueue("one", 0));
        Assert.False(pool.Enqueue("two", 0));
        Assert.Equal(1, pool.WaitingCount);
    }

    [Fact]
    public void TakeExpired_OnlyThoseWhoWaitedTheLimit_OldestFirst()
    {
        var pool = new SlotPool(1, 4, 1000);
        pool.TryTake("holder");
        pool.Enqueue("early", 0);
        pool.Enqueue("late", 500);

        Assert.Null(pool.TakeExpired(999));
        Assert.Equal("early", pool.TakeExpired(1000));
        Assert.Null(pool.TakeExpired(1499));
        Assert.Equal("late", pool.TakeExpired(1500));
        Assert.Null(pool.TakeExpired(long.MaxValue));
    }

    [Fact]
    public void IsWaitingAndCancel_MatchByEquals()
    {
        var pool = new SlotPool(1, 4, 1000);
        pool.TryTake("holder");
        pool.Enqueue(new string('x', 3), 0);

        Assert.True(pool.IsWaiting("xxx"));
        Assert.True(pool.Cancel("xxx"));
        Assert.False(pool.IsWaiting("xxx"));
        Assert.False(pool.Cancel("xxx"));
    }

    [Fact]
    public void Misuse_Throws()
    {
        var pool = new SlotPool(1, 0, 0);
        Assert.Throws<InvalidOperationException>(() => pool.Release(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Release(1));
        Assert.Throws<ArgumentNullException>(() => pool.TryTake(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlotPool(0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlotPool(1, -1, 1));
        Assert.False(pool.Enqueue("x", 0)); // nobody may wait
    }

    [Fact]
    public void Property_AnyOperations_MatchAFifoModel()
    {
        // Operations: 0 take, 1 release a held slot, 2 enqueue, 3 grant, 4 expire; the model is a plain list and a set.
        var gen = Gen.Select(Gen.Int[1, 4], Gen.Int[0, 3], Gen.Int[0, 2000], Gen.Int[0, 4].Array[1, 60]);
        gen.Sample((size, maxWaiting, wait, ops) =>
        {
            var pool = new SlotPool(size, maxWaiting, wait);
            var held = new Dictionary<int, int>();
            var queue = new List<(int Id, long Since)>();
            int next = 0;
            long now = 0;
            foreach (int op in ops)
            {
                now += 137;
                int id = next++;
                switch (op)
                {
                    case 0:
                        int slot = pool.TryTake(id);
                        if (queue.Count > 0 || held.Count == size)
                        {
                            Assert.Equal(SlotPool.NoSlot, slot);
                        }
                        else
                        {
                            Assert.Equal(Enumerable.Range(0, size).First(s => !held.ContainsKey(s)), slot);
                            held[slot] = id;
                        }

                        break;
                    case 1:
                        if (held.Count > 0)
                        {
                            int s = held.Keys.Min();
                            pool.Release(s);
                            held.Remove(s);
                        }

                        break;
                    case 2:
                        bool queued = pool.Enqueue(id, now);
                        Assert.Equal(queue.Count < maxWaiting, queued);
                        if (queued)
                        {
                            queue.Add((id, now));
                        }

                        break;
                    case 3:
                        int granted = pool.Grant(out object? waiter);
                        if (queue.Count == 0 || held.Count == size)
                        {
                            Assert.Equal(SlotPool.NoSlot, granted);
                        }
                        else
                        {
                            Assert.Equal(queue[0].Id, waiter);
                            held[granted] = queue[0].Id;
                            queue.RemoveAt(0);
                        }

                        break;
                    default:
                        object? expired = pool.TakeExpired(now);
                        if (queue.Count > 0 && now - queue[0].Since >= wait)
                        {
                            Assert.Equal(queue[0].Id, expired);
                            queue.RemoveAt(0);
                        }
                        else
                        {
                            Assert.Null(expired);
                        }

                        break;
                }

                Assert.Equal((size - held.Count, queue.Count), (pool.FreeCount, pool.WaitingCount));
                Assert.All(held, h => Assert.Equal(h.Value, pool.HolderOf(h.Key)));
            }
        });
    }
}
