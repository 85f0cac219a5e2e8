using CsCheck;
using NanoAgent.VirtualSe.Gate;

namespace NanoAgent.VirtualSe.Tests.Gate;

/// <summary>
/// Reading counters are reserved in blocks (docs/gating.md, Counters): one save per <see cref="GateApplet.ReadingCounterBlock"/>
/// readings, handed out from RAM, and after a card reset the next counter is above the saved reservation (a gap, never a reuse).
/// </summary>
public sealed class GateReadingCounterTests
{
    private const int Block = GateApplet.ReadingCounterBlock;

    [Fact]
    public void Readings_AreConsecutive_WithOneSavePerBlock()
    {
        var store = new CountingStore(new InMemoryGateStore());
        var f = new GateFixture(store).Provision();
        Assert.Equal("9000", f.KeyA());
        int keyed = store.Saves;

        for (ulong i = 1; i <= 3 * Block; i++)
        {
            Assert.Equal(i, Sign(f));
            Assert.Equal(keyed + (int)((i + Block - 1) / Block), store.Saves);
        }

        Assert.Equal((ulong)(3 * Block), Saved(f));
    }

    [Fact]
    public void CardReset_SkipsToTheReservation_NeverReusesACounter()
    {
        var store = new CountingStore(new InMemoryGateStore());
        var f = new GateFixture(store).Provision();
        Assert.Equal("9000", f.KeyA());
        for (int i = 0; i < 10; i++)
        {
            Sign(f);
        }

        int before = store.Saves;
        f.Card.Reset();
        Assert.Equal((ulong)Block + 1, Sign(f));
        Assert.Equal(before + 1, store.Saves);
        Assert.Equal((ulong)Block + 2, Sign(f));

        // A reset right after a new reservation skips the whole block.
        f.Card.Reset();
        Assert.Equal((ulong)(2 * Block) + 1, Sign(f));
        Assert.Equal(before + 2, store.Saves);
    }

    [Fact]
    public void GetData_ReportsTheLastHandedOut_OrTheReservationAfterAReset()
    {
        var f = new GateFixture().Provision();
        Assert.Equal("9000", f.KeyA());
        Sign(f);
        Sign(f);
        Assert.Equal(2UL, StatusCounter(f));
        f.Card.Reset();
        Assert.Equal((ulong)Block, StatusCounter(f));
        Assert.Equal((ulong)Block + 1, Sign(f));
    }

    [Fact]
    public void NearTheEnd_TheReservationStopsAtTheLargestCounter_ThenSigningIsRefused()
    {
        var store = new InMemoryGateStore();
        var f = new GateFixture(store).Provision();
        Assert.Equal("9000", f.KeyA());
        GateRecord record = store.Find(Hex.Of(GateFixture.GateA))!;
        record.ReadingCounter = ulong.MaxValue - 3;
        store.Save(record);

        Assert.Equal(ulong.MaxValue - 2, Sign(f));
        Assert.Equal(ulong.MaxValue, Saved(f));
        Assert.Equal(ulong.MaxValue - 1, Sign(f));
        Assert.Equal(ulong.MaxValue, Sign(f));
        Assert.Equal("6985", f.Send(GateFixture.GateA, GateFixture.SignApdu("01")));
        f.Card.Reset();
        Assert.Equal("6985", f.Send(GateFixture.GateA, GateFixture.SignApdu("01")));
    }

    [Fact]
    public void AnySequenceOfReadingsAndResets_IsStrictlyIncreasing_WithAtMostOneSavePerBlockOrReset()
    {
        Gen.Int[0, 9].Array[1, 120].Sample(ops =>
        {
            var store = new CountingStore(new InMemoryGateStore());
            var f = new GateFixture(store).Provision();
            Assert.Equal("9000", f.KeyA());
            int keyed = store.Saves, resets = 0, readings = 0;
            ulong last = 0;
            foreach (int op in ops)
            {
                if (op == 0)
                {
                    f.Card.Reset();
                    resets++;
                    continue;
                }

                ulong counter = Sign(f);
                readings++;
                Assert.True(counter > last, $"{counter} after {last}");
                Assert.True(counter <= Saved(f), "a counter above the saved reservation was released");
                last = counter;
            }

            Assert.True(store.Saves - keyed <= (readings + Block - 1) / Block + resets, $"{store.Saves - keyed} saves for {readings} readings, {resets} resets");
        }, iter: 40, threads: 1);
    }

    private static ulong Sign(GateFixture f)
    {
        string rsp = f.Send(GateFixture.GateA, GateFixture.SignApdu("01"));
        Assert.EndsWith("9000", rsp);
        return Convert.ToUInt64(rsp[..16], 16);
    }

    private static ulong Saved(GateFixture f) => f.Store.Find(Hex.Of(GateFixture.GateA))!.ReadingCounter;

    private static ulong StatusCounter(GateFixture f)
    {
        string rsp = f.Send(GateFixture.GateA, "80CA00C100");
        int at = rsp.IndexOf("8208", StringComparison.Ordinal);
        Assert.True(at > 0, rsp);
        return Convert.ToUInt64(rsp.Substring(at + 4, 16), 16);
    }

    /// <summary>Counts the durable saves (NVM writes of the gate record).</summary>
    private sealed class CountingStore(IGateStore inner) : IGateStore
    {
        public int Saves { get; private set; }

        public GateRecord? Find(string aid) => inner.Find(aid);

        public void Save(GateRecord record)
        {
            inner.Save(record);
            Saves++;
        }
    }
}
