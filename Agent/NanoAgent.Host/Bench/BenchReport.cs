namespace NanoAgent.Host.Bench;

/// <summary>Every figure of one <c>nanoagent bench</c> run.</summary>
/// <param name="Links">Per protocol and APDU size.</param>
/// <param name="Scp03">Per data size.</param>
/// <param name="Relay">Relay throughput per script length and store.</param>
public sealed record BenchReport(LinkFigures[] Links, Scp03Figures[] Scp03, RelayFigures[] Relay)
{
    /// <summary>Runs every measurement.</summary>
    /// <param name="quick">Few iterations and sizes (for tests); figures are then rough.</param>
    /// <returns>The report.</returns>
    public static BenchReport Run(bool quick)
    {
        int[] sizes = quick ? [5, 261] : LinkBench.DefaultSizes;
        var links = new List<LinkFigures>();
        foreach (var protocol in LinkBench.Protocols)
        {
            foreach (int size in sizes)
            {
                links.Add(LinkBench.Measure(protocol, size, quick ? 20 : (size > 1000 ? 300 : 2000)));
            }
        }

        var scp = new List<Scp03Figures>();
        foreach (int size in quick ? [64] : Scp03Bench.DefaultSizes)
        {
            scp.Add(Scp03Bench.Measure(size, quick ? 50 : 20000));
        }

        var relay = new List<RelayFigures>();
        foreach (bool journal in new[] { true, false })
        {
            foreach (int steps in RelayBench.DefaultSteps)
            {
                relay.Add(RelayBench.Measure(steps, quick ? 1 : Math.Max(3, 10000 / steps / (journal ? 1 : 2)), journal));
            }
        }

        return new BenchReport([.. links], [.. scp], [.. relay]);
    }

    /// <summary>Writes the report as plain-text tables.</summary>
    /// <param name="w">Where to.</param>
    public void WriteText(TextWriter w)
    {
        w.WriteLine("APDU round trips (card answers 9000; per round trip, steady state)");
        w.WriteLine("Bus model: I2C 9 clocks a byte (8 bits + ACK) plus one address byte per transaction, NACKed polls = address only;");
        w.WriteLine("           SPI 8 clocks a byte, filler polls counted as bytes; start/stop, guard and SE processing time not included.");
        w.WriteLine($"{"protocol",-10} {"APDU",5} {"frames B",9} {"min B",6} {"eff %",6} {"payl %",6} {"NACK",5} {"xfers",6} {"µs@400k",8} {"µs@1M",7} {"host B",7} {"vSE B",7} {"host µs",8}");
        foreach (var l in Links)
        {
            w.WriteLine($"{Name(l.Protocol),-10} {l.ApduBytes,5} {l.FrameBytes,9:F0} {l.MinimumBytes,6} {l.FramingEfficiency,6:F1} {l.PayloadEfficiency,6:F1} {l.RefusedPolls,5:F1} {l.Transactions,6:F1} {l.BusMicros400,8:F0} {l.BusMicros1000,7:F0} {l.HostAllocatedBytes,7:F0} {l.VirtualSeAllocatedBytes,7:F0} {l.HostMicros,8:F1}");
        }

        w.WriteLine();
        w.WriteLine("SCP03 secure messaging, level 33 (C-MAC C-DEC R-MAC R-ENC), BouncyCastle AES, per APDU");
        w.WriteLine($"{"data B",6} {"wrap µs",8} {"unwrap µs",9} {"wrap B",7} {"unwrap B",8} {"added B",7}");
        foreach (var s in Scp03)
        {
            w.WriteLine($"{s.DataBytes,6} {s.WrapMicros,8:F2} {s.UnwrapMicros,9:F2} {s.WrapAllocatedBytes,7:F0} {s.UnwrapAllocatedBytes,8:F0} {s.AddedBytes,7}");
        }

        w.WriteLine();
        w.WriteLine("Relay: batch script, broker -> agent service -> relay (durable store on counted RAM storage) -> virtual SE05x -> result");
        w.WriteLine($"{"steps",6} {"store",8} {"scripts",7} {"relayed ms",10} {"steps/s",8} {"direct ms",9} {"ratio",6} {"store B/step",12} {"writes/step",11} {"passed",7}");
        foreach (var r in Relay)
        {
            w.WriteLine($"{r.Steps,6} {r.Store,8} {r.Scripts,7} {r.RelayedMillis,10:F2} {r.StepsPerSecond,8:F0} {r.DirectMillis,9:F2} {r.Ratio,6:F2} {r.StoreBytesPerStep,12:F1} {r.StoreWritesPerStep,11:F2} {r.StepsPassed,7}");
        }

        var budget = NanoAgent.Agent.Budget.AgentMemoryBudget.CreateDefault();
        w.WriteLine();
        w.WriteLine($"Memory budget (device defaults, {NanoAgent.Agent.Budget.AgentMemoryBudget.DeviceMaxMqttPayload} B MQTT payloads): static {budget.StaticBytes} B + per message {budget.PerMessageBytes} B = {budget.TotalBytes} B of {budget.HeapBytes} B ESP32 heap, fits with {NanoAgent.Agent.Budget.MemoryBudget.DefaultReservePercent} % reserve: {(budget.Fits(NanoAgent.Agent.Budget.MemoryBudget.DefaultReservePercent) ? "yes" : "NO")}");
    }

    /// <summary>Gets the short protocol name used in the tables.</summary>
    /// <param name="p">The protocol.</param>
    /// <returns>The name.</returns>
    public static string Name(NanoAgent.VirtualSe.VirtualSeProtocol p) => p switch
    {
        NanoAgent.VirtualSe.VirtualSeProtocol.Se05xI2c => "se05x-i2c",
        NanoAgent.VirtualSe.VirtualSeProtocol.GpI2c => "gp-i2c",
        _ => "gp-spi",
    };
}
