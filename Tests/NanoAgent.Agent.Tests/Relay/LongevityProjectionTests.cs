using System.Globalization;
using System.Text;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Runtime;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Agent.Tests.Runtime;
using NanoAgent.Agent.Gating;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// The 20-year write budget of a smart meter (issue #14): the whole runtime (virtual GP card on SE05x T=1, platform SCP03, gate
/// applet, in-memory broker) runs a year of the duty cycle (a reading every 15 minutes, one 20-step script a week, one
/// reboot a day that also power-cycles the SE) over a relay store whose flash writes are counted (<see cref="FlashWearMeter"/>)
/// and a gate store whose saves are counted (<see cref="CountingGateStore"/>); the counts are projected over 20 years,
/// written as the table of docs/longevity.md (the test fails when the file is not the computed table) and checked
/// against 10 % of each memory's endurance, every row, with no exceptions. The SE05x's rows (IoT applet alone) are the
/// same cycle's events measured one by one on the virtual SE05x (<see cref="Se05xCardRig"/>).
/// </summary>
public class LongevityProjectionTests
{
    private const int Weeks = 52;
    private const int ReadingsPerDay = 96;
    private const int ScriptSteps = 20;
    private const double DaysIn20Years = 20 * 365.25;
    private const double BudgetShare = 0.10;

    // Flash models: erase unit, the file system partition's erase units (for wear levelling), endurance per unit.
    internal sealed record FlashModel(string Name, int EraseUnit, int PartitionUnits, long Endurance);

    internal static readonly FlashModel[] Models =
    [
        // STM32F7 internal flash: 10 kcycles (ST DS10916 STM32F746xx, "Flash memory endurance and data retention"),
        // smallest sectors 32 KB; a file system on the four 32 KB sectors.
        new("STM32F7 internal flash", 32 * 1024, 4, 10_000),
        // ESP32 external SPI NOR flash: 100 kcycles per 4 KB sector (typical SPI NOR datasheets, e.g. W25Q32/GD25Q32);
        // the I: partition is 256 KB of littlefs (nf-interpreter partitions_nanoclr_4mb.csv: config, littlefs, 0x40000).
        new("ESP32 SPI flash", 4 * 1024, 64, 100_000),
    ];

    // NXP SE050: NVM write endurance taken as 500,000 cycles per cell (assumption, not checked against the data sheet here).
    internal const long SeEndurance = 500_000;

    internal sealed record Year(string Store, long[] HottestErases, long[] EraseUnits, long Bytes, long Writes, int Scripts,
        double BytesPerStep, double BytesPerReading, double BytesPerReboot, int Readings, int Reboots, long GateSavesReadingDay, long GateSavesOther);

    // NVM writes the agent causes on an SE05x with its IoT applet alone (docs/se05x.md), measured per event on the virtual
    // SE05x (its NvmWrites counts every persistent commit): events, how often the duty cycle has them a day.
    internal sealed record Se05xEvent(string What, long Writes, double PerDay);

    private static readonly Lazy<Se05xEvent[]> Se05xEvents = new(MeasureSe05x);

    private static readonly Lazy<Year> JournalYear = new(() => Simulate(journal: true));
    private static readonly Lazy<Year> RewriteYear = new(() => Simulate(journal: false));

    private static Year Simulate(bool journal)
    {
        var slots = new DurableMemorySlots();
        var memoryJournal = new DurableMemoryJournal();
        FlashWearMeter[] meters = Models.Select(m => new FlashWearMeter(m.EraseUnit)).ToArray();
        IRecordSlots countedSlots = slots;
        IJournalStorage countedJournal = memoryJournal;
        foreach (FlashWearMeter meter in meters)
        {
            countedSlots = new WearCountingSlots(countedSlots, meter);
            countedJournal = new WearCountingJournal(countedJournal, meter);
        }

        var rig = new RuntimeRig();
        rig.Config = rig.Config.Replace("publish.period_ms = 60000", "publish.period_ms = 900000");
        FakeMqttConnection backend = rig.Broker.NewClient();
        backend.Connect(new MqttConnectOptions { ClientId = "backend" });
        backend.Subscribe([AgentTopics.Response(RuntimeRig.Device, "acme")], [MqttQos.AtLeastOnce]);
        long stepBytes = 0, readingBytes = 0, rebootBytes = 0, gateSavesReadingDay = 0, gateSavesStart = rig.GateStore.Saves;
        int readings = 0, reboots = 0, scripts = 0;
        for (int day = 0; day < Weeks * 7; day++)
        {
            // The reboot power-cycles the SE too (worst case for the gate: its RAM part of the reading reservation is lost).
            rig.Se.Responder.PowerOnReset();
            long before = meters[0].BytesWritten;
            long gateBefore = rig.GateStore.Saves;
            rig.RelayStore = new DurableRelayStore(new TwoSlotRecordStorage(countedSlots), journal ? countedJournal : null, 4, DurableRelayStore.DefaultJournalLimit);
            AgentRuntime runtime = rig.Start();
            rebootBytes += meters[0].BytesWritten - before;
            reboots++;
            if (day % 7 == 0)
            {
                before = meters[0].BytesWritten;
                var steps = Enumerable.Repeat(RelayRig.Step(RelayRig.GetIinCh1, 0x9000, 0x0000), ScriptSteps).ToArray();
                ScriptRequest request = RelayRig.Script("acme", (uint)(day / 7) + 1, "week-" + (day / 7), RuntimeRig.SsdA, steps);
                backend.Publish(AgentTopics.Request(RuntimeRig.Device, "acme"), ScriptMessageCodec.Encode(request), MqttQos.AtLeastOnce, false);
                rig.Run(runtime, 1, 100);
                stepBytes += meters[0].BytesWritten - before;
                scripts++;
            }

            if (day == 0)
            {
                // One day of readings, measured; the other days' readings write the same (nothing) and are not rerun.
                before = meters[0].BytesWritten;
                int published = runtime.ReadingsPublished;
                rig.Run(runtime, ReadingsPerDay, 900000);
                readings = runtime.ReadingsPublished - published;
                readingBytes = meters[0].BytesWritten - before;
                gateSavesReadingDay = rig.GateStore.Saves - gateBefore;
            }
        }

        Assert.Equal(Weeks, backend.Received.Count(m => m.Topic == AgentTopics.Response(RuntimeRig.Device, "acme")));
        return new Year(journal ? "journal" : "rewrite", meters.Select(m => m.HottestUnitErases).ToArray(), meters.Select(m => m.EraseUnits).ToArray(),
            meters[0].BytesWritten, meters[0].WriteOperations, scripts, (double)stepBytes / (scripts * ScriptSteps),
            readings == 0 ? 0 : (double)readingBytes / readings, (double)rebootBytes / reboots, readings, reboots,
            gateSavesReadingDay, rig.GateStore.Saves - gateSavesStart - gateSavesReadingDay);
    }

    private static Se05xEvent[] MeasureSe05x()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        rig.SetUpGate("acme");
        byte[] label = Hex.Parse("F06E616E6F47410A");
        byte[] output = new byte[27];

        // A boot: the SE is reset, the agent starts (a new gate), the reading published at boot raises the epoch.
        rig.Card.Reset();
        long before = rig.Card.NvmWrites;
        var gate = new Se05xReadingGate(rig.Applet, label, Se05xCardRig.Acme);
        Assert.Equal(0x9000, gate.SignReading([1], 0, 1, output, 0, out _));
        long start = rig.Card.NvmWrites - before;

        before = rig.Card.NvmWrites;
        for (int i = 0; i < ReadingsPerDay; i++)
        {
            Assert.Equal(0x9000, gate.SignReading([1], 0, 1, output, 0, out _));
        }

        long readings = rig.Card.NvmWrites - before;

        // The week's script: an interactive applet session of 20 steps (authenticated, every request MAC checked one-shot).
        before = rig.Card.NvmWrites;
        using (Se05xCardRig.TenantSession session = rig.Open("acme"))
        {
            for (int i = 0; i < ScriptSteps; i++)
            {
                Assert.Equal(0x9000, session.Sw(Hex.Parse("800400490441020010")));
            }
        }

        long script = rig.Card.NvmWrites - before;

        // Not in the duty cycle: an accepted actuator command, and a request whose MAC input is streamed (over 861 bytes).
        before = rig.Card.NvmWrites;
        byte[] command = Se05xCommand(label, Se05xCardRig.Key("acme-command"), 1);
        Assert.Equal(0x9000, gate.VerifyCommand(command, 0, command.Length));
        long actuation = rig.Card.NvmWrites - before;
        before = rig.Card.NvmWrites;
        rig.Relay.Submit("acme", RelayRig.Script("acme", rig.NextCounter(), "long", Se05xCardRig.AppletAid,
            Enumerable.Range(0, 8).Select(_ => RelayRig.Step("8002000000" + "0064" + new string('0', 200), 0x6982)).ToArray()));
        Assert.Equal(1, rig.Verifier.Streamed);
        long streamed = rig.Card.NvmWrites - before;
        return
        [
            new("reading epoch raise (one per agent start; the SE reset at boot)", start, 1),
            new($"readings (MACOneShot; {ReadingsPerDay} measured)", readings, 0),
            new($"a tenant's applet session ({ScriptSteps} steps, weekly; request MACs one-shot)", script, 1.0 / 7),
            new("an accepted actuator command (not in the duty cycle)", actuation, 0),
            new("a streamed request MAC (a request over 861 bytes; not in the duty cycle)", streamed, 0),
        ];
    }

    private static byte[] Se05xCommand(byte[] label, byte[] key, ulong sequence)
    {
        byte[] input = new byte[GateMacInput.MaxLength];
        int n = GateMacInput.Build(GateCard.Se05x, GateMacInput.CommandLabel, label, sequence, [0x01], 0, 1, input, 0);
        byte[] mac = new byte[16];
        new NanoAgent.Drivers.Crypto.AesCmac(NanoAgent.Drivers.Host.Crypto.BouncyCastleAesFactory.Instance.CreateAes(key, 0, 16)).Compute(input, 0, n, mac, 0);
        byte[] counter = new byte[8];
        GateEnvelopeWriter.WriteCounter(sequence, counter, 0);
        return [.. counter, 0x01, .. mac];
    }

    internal static string Table(Year y, Year before)
    {
        var c = CultureInfo.InvariantCulture;
        double days = Weeks * 7;
        var t = new StringBuilder();
        t.Append("| per | relay store flash bytes |\n|---|---|\n");
        t.Append(string.Format(c, "| relayed step (20-step script, including its begin/result/end records and snapshots) | {0:F1} |\n", y.BytesPerStep));
        t.Append(string.Format(c, "| reading ({0} measured) | {1:F1} |\n", y.Readings, y.BytesPerReading));
        t.Append(string.Format(c, "| reboot (store reopened, runtime started) | {0:F1} |\n", y.BytesPerReboot));
        t.Append(string.Format(c, "| day (duty cycle, mean over {0} days) | {1:F1} |\n", Weeks * 7, y.Bytes / days));
        t.Append(string.Format(c, "| 20 years | {0:F0} |\n\n", y.Bytes / days * DaysIn20Years));
        t.Append("| flash | wear levelling | erase cycles per unit per day | 20 years | endurance | share | before (whole-state rewrite), 20 years | before, share |\n");
        t.Append("|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < Models.Length; i++)
        {
            FlashModel m = Models[i];
            foreach (bool levelled in new[] { false, true })
            {
                double perDay = Cycles(y, i, levelled) / days;
                double beforePerDay = Cycles(before, i, levelled) / days;
                t.Append(string.Format(c, "| {0} ({1} KB units) | {2} | {3:F4} | {4:F0} | {5:N0} | {6:F2} % | {7:F0} | {8:F1} % |\n",
                    m.Name, m.EraseUnit / 1024, levelled ? $"yes, over {m.PartitionUnits} units" : "no", perDay, perDay * DaysIn20Years, m.Endurance,
                    100 * perDay * DaysIn20Years / m.Endurance, beforePerDay * DaysIn20Years, 100 * beforePerDay * DaysIn20Years / m.Endurance));
            }
        }

        t.Append('\n');
        t.Append("| SE NVM writes the agent causes (virtual SE: GP card with the gate applet) | per day | 20 years | share of one cell's endurance |\n|---|---|---|---|\n");
        foreach (var (what, perDay) in SeRows(y))
        {
            t.Append(string.Format(c, "| {0} | {1:F2} | {2:F0} | {3:F1} % |\n", what, perDay, perDay * DaysIn20Years, 100 * perDay * DaysIn20Years / SeEndurance));
        }

        t.Append('\n');
        t.Append("| SE NVM writes the agent causes (virtual SE05x: IoT applet only, docs/se05x.md) | writes per event (measured) | per day | 20 years | share of one cell's endurance |\n|---|---|---|---|---|\n");
        foreach (Se05xEvent e in Se05xEvents.Value)
        {
            double perDay = e.Writes * e.PerDay;
            t.Append(string.Format(c, "| {0} | {1} | {2:F2} | {3:F0} | {4:F1} % |\n", e.What, e.Writes, perDay, perDay * DaysIn20Years, 100 * perDay * DaysIn20Years / SeEndurance));
        }

        return t.ToString();
    }

    // SE writes: the gate applet saves its record when SIGN READING reserves a block of reading counters (docs/gating.md,
    // Counters), counted over the first day, which is a whole day of the cycle (SE reset, boot, script, 96 readings); the
    // other days' readings are not rerun, and what those days do save (the reading published at boot) is part of their day. An SCP03 session's INITIALIZE UPDATE advances the SD's sequence
    // counter once (GPC Amd D, SCP03 with pseudo-random card challenge): the platform session opened at each boot, the tenant's session once per script.
    internal static (string What, double PerDay)[] SeRows(Year y) =>
    [
        ($"gate reading counter reservations (blocks of {NanoAgent.VirtualSe.Gate.GateApplet.ReadingCounterBlock}, SE reset at each boot; one day counted)",
            y.GateSavesReadingDay),
        ("platform SCP03 sequence counter (one session per boot)", y.Reboots / (Weeks * 7.0)),
        ("tenant SD sequence counter (one session per script)", y.Scripts / (Weeks * 7.0)),
    ];

    private static double Cycles(Year y, int model, bool levelled) =>
        levelled ? (double)y.EraseUnits[model] / Models[model].PartitionUnits : y.HottestErases[model];

    private static string RepoFile(string relative)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "nanoAgent.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine(dir!, relative);
    }

    [Fact]
    public void LongevityDoc_HoldsTheComputedTable()
    {
        string table = Table(JournalYear.Value, RewriteYear.Value);
        string doc = File.ReadAllText(RepoFile(Path.Combine("docs", "longevity.md"))).Replace("\r\n", "\n");
        const string begin = "<!-- computed by LongevityProjectionTests: begin -->\n", end = "<!-- computed by LongevityProjectionTests: end -->";
        int from = doc.IndexOf(begin, StringComparison.Ordinal), to = doc.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, "docs/longevity.md lacks the markers of the computed table");
        Assert.True(doc.Substring(from + begin.Length, to - from - begin.Length) == table, "docs/longevity.md is not the computed table; it is:\n" + table);
    }

    [Fact]
    public void FlashWear_Over20Years_StaysUnderTenPercentOfEndurance_WithAndWithoutWearLevelling()
    {
        Year y = JournalYear.Value;
        for (int i = 0; i < Models.Length; i++)
        {
            foreach (bool levelled in new[] { false, true })
            {
                double cycles = Cycles(y, i, levelled) / (Weeks * 7) * DaysIn20Years;
                Assert.True(cycles <= BudgetShare * Models[i].Endurance, $"{Models[i].Name}, wear levelling {levelled}: {cycles:F0} erase cycles in 20 years");
            }
        }
    }

    [Fact]
    public void FlashWear_WholeStateRewrite_WouldHaveExceededTheBudget()
    {
        // The design the journal replaced: without wear levelling it wears the STM32F7 slot sectors past 10 % of 10 kcycles.
        Year before = RewriteYear.Value;
        Assert.True(Cycles(before, 0, false) / (Weeks * 7) * DaysIn20Years > BudgetShare * Models[0].Endurance);
    }

    [Fact]
    public void DutyCycle_ReadingsAndRebootsWriteNothing_StepsAFewBytes()
    {
        Year y = JournalYear.Value;
        Assert.Equal(ReadingsPerDay, y.Readings);
        Assert.Equal(0, y.BytesPerReading);
        Assert.Equal(0, y.BytesPerReboot);
        Assert.InRange(y.BytesPerStep, 20, 80);
    }

    [Fact]
    public void SeWrites_Over20Years_StayUnderTenPercentOfEndurance()
    {
        foreach (var (what, perDay) in SeRows(JournalYear.Value))
        {
            Assert.True(perDay * DaysIn20Years <= BudgetShare * SeEndurance, $"{what}: {perDay * DaysIn20Years:F0} writes in 20 years");
        }
    }

    [Fact]
    public void Se05x_ReadingsWriteNothing_OneEpochRaisePerStart_EveryRowUnderTenPercent()
    {
        Se05xEvent[] events = Se05xEvents.Value;
        Assert.Equal(1, events[0].Writes);
        Assert.Equal(0, events[1].Writes);
        Assert.Equal(0, events[2].Writes);
        Assert.Equal(1, events[3].Writes);
        Assert.InRange(events[4].Writes, 3, 6); // MACInit, the crypto object made once after the reset, updates, MACFinal
        foreach (Se05xEvent e in events)
        {
            Assert.True(e.Writes * e.PerDay * DaysIn20Years <= BudgetShare * SeEndurance, $"{e.What}: {e.Writes * e.PerDay * DaysIn20Years:F0} writes in 20 years");
        }
    }

    [Fact]
    public void DutyCycle_GateSavesOncePerBlockOfReadings_NotPerReading()
    {
        // A reset, the boot (which publishes a reading), the script, then 96 readings: two blocks, two saves (not 97).
        Year y = JournalYear.Value;
        Assert.Equal(2, y.GateSavesReadingDay);

        // The other days: at most the one reservation of the reading published at boot, never one per script step.
        Assert.InRange(y.GateSavesOther, 0, y.Reboots - 1);
    }
}
