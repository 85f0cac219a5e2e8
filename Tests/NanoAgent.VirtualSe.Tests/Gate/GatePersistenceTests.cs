using NanoAgent.VirtualSe.Gate;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Tests.Gate;

/// <summary>Counters survive restarts and never repeat, even when power fails in the middle of an update.</summary>
public sealed class GatePersistenceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gate-" + Guid.NewGuid().ToString("N"));

    private string GatePath => Path.Combine(_dir, "se.gate.json");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    [Fact]
    public void Counters_SurviveRestart()
    {
        var cardStore = new CardStateStore(Path.Combine(_dir, "se.json"));
        var f = new GateFixture(new GateFileStore(GatePath), cardStore).Provision();
        Assert.Equal("9000", f.KeyA());
        f.Send(GateFixture.GateA, GateFixture.SignApdu("01"));
        f.Send(GateFixture.GateA, GateFixture.SignApdu("01"));
        Assert.Equal("9000", f.Send(GateFixture.GateA, GateFixture.VerifyApdu(GateFixture.MacKeyA, GateFixture.GateA, 7, "AA")));

        // The restarted card lost the RAM part of the reservation (3..64): it starts above the saved block, never below.
        var restarted = new GateFixture(new GateFileStore(GatePath), cardStore);
        Assert.StartsWith("0000000000000041", restarted.Send(GateFixture.GateA, GateFixture.SignApdu("01")));
        Assert.Equal("6985", restarted.Send(GateFixture.GateA, GateFixture.VerifyApdu(GateFixture.MacKeyA, GateFixture.GateA, 7, "AA")));
    }

    [Fact]
    public void PowerLoss_BeforeOrAfterTheWrite_NeverRepeatsACounter()
    {
        var cardStore = new CardStateStore(Path.Combine(_dir, "se.json"));
        var crashing = new CrashingStore(new GateFileStore(GatePath));
        var f = new GateFixture(crashing, cardStore).Provision();
        Assert.Equal("9000", f.KeyA());
        var released = new List<ulong>();
        void Sign(GateFixture fx)
        {
            string rsp = fx.Send(GateFixture.GateA, GateFixture.SignApdu("01"));
            if (rsp.EndsWith("9000"))
            {
                released.Add(Convert.ToUInt64(rsp[..16], 16));
            }
        }

        // The first block (1..64) is reserved by one save and handed out from RAM.
        for (int i = 0; i < GateApplet.ReadingCounterBlock; i++)
        {
            Sign(f);
        }

        // Power fails before the next reservation is written: no MAC leaves the card, the old reservation stays.
        crashing.Mode = CrashMode.BeforeWrite;
        Assert.Equal("6581", f.Send(GateFixture.GateA, GateFixture.SignApdu("01")));

        // Power fails after the reservation (65..128) is written but before the answer: the block is lost, never reused.
        crashing.Mode = CrashMode.AfterWrite;
        Assert.Equal("6581", f.Send(GateFixture.GateA, GateFixture.SignApdu("01")));

        // Reboot from what is on disk.
        var rebooted = new GateFixture(new GateFileStore(GatePath), cardStore);
        Sign(rebooted);
        Sign(rebooted);
        ulong[] expected = [.. Enumerable.Range(1, GateApplet.ReadingCounterBlock).Select(i => (ulong)i), 129UL, 130UL];
        Assert.Equal(expected, released);

        // A command whose counter write failed was not accepted ('6581'), and after reboot it still is not a replay.
        var again = new CrashingStore(new GateFileStore(GatePath)) { Mode = CrashMode.BeforeWrite };
        var g = new GateFixture(again, cardStore);
        string cmd = GateFixture.VerifyApdu(GateFixture.MacKeyA, GateFixture.GateA, 9, "AA");
        Assert.Equal("6581", g.Send(GateFixture.GateA, cmd));
        Assert.Equal("9000", new GateFixture(new GateFileStore(GatePath), cardStore).Send(GateFixture.GateA, cmd));
    }

    [Fact]
    public void CorruptGateFile_IsAnError_NotAReset()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(GatePath, "{ not json");
        Assert.Throws<GateStoreException>(() => new GateFileStore(GatePath));
    }

    private enum CrashMode
    {
        None,
        BeforeWrite,
        AfterWrite,
    }

    /// <summary>A store that loses power around a save: before anything is written, or after the durable write.</summary>
    private sealed class CrashingStore(IGateStore inner) : IGateStore
    {
        public CrashMode Mode { get; set; }

        public GateRecord? Find(string aid) => inner.Find(aid);

        public void Save(GateRecord record)
        {
            if (Mode == CrashMode.BeforeWrite)
            {
                throw new GateStoreException("power lost before the write");
            }

            inner.Save(record);
            if (Mode == CrashMode.AfterWrite)
            {
                throw new GateStoreException("power lost after the write");
            }
        }
    }
}
