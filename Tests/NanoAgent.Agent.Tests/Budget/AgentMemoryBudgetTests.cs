using NanoAgent.Agent.Budget;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Relay;
using NanoAgent.Drivers.T1.Gp;

namespace NanoAgent.Agent.Tests.Budget;

public class AgentMemoryBudgetTests
{
    [Fact]
    public void CreateDefault_FirmwareOptions_FitEsp32HeapWithReserve()
    {
        MemoryBudget budget = AgentMemoryBudget.CreateDefault();

        // ESP32 without PSRAM: ~100 KB managed heap (shared/protocol-facts.md); 40 % kept for runtime and MQTT client.
        Assert.Equal(100 * 1024, budget.HeapBytes);
        Assert.True(budget.Fits(MemoryBudget.DefaultReservePercent), $"total {budget.TotalBytes} B of {budget.HeapBytes} B");
        Assert.True(budget.FreeBytes > 0);
    }

    [Fact]
    public void CreateDefault_ListsEveryLayerWithItsConfiguredSize()
    {
        MemoryBudget budget = AgentMemoryBudget.CreateDefault();

        // SE05x frame: NAD PCB LEN + 254 + CRC2 = 259, tx + rx (UM11225 §3.1.1).
        Assert.Equal(518, Find(budget, "SE05x T=1").Bytes);

        // The firmware runs GP T=1' with GpT1Options.Compact(): block buffers for INF 254, (6 + 254) x 2.
        Assert.Equal(2 * (6 + 254), Find(budget, "GP T=1'").Bytes);

        // Relay defaults 255 / 256: (4 + 3 + 255 + 2) + (256 + 2).
        Assert.Equal(522, Find(budget, "Relay ApduChannel").Bytes);
        Assert.Equal(32 * AgentMemoryBudget.DeviceMaxMqttPayload, Find(budget, "Offline publish queue").Bytes);
        Assert.Equal(budget.StaticBytes + budget.PerMessageBytes, budget.TotalBytes);
    }

    [Fact]
    public void Create_FollowsTheOptionObjects()
    {
        var relay = new RelayOptions { MaxCommandData = 1000, MaxResponseData = 2000 };
        var gp = new GpT1Options { MaxInformationSize = 254 };

        MemoryBudget budget = AgentMemoryBudget.Create(gp, relay, new ReconnectOptions { MaxBufferedPublishes = 4 }, 512, MemoryBudget.Esp32HeapBytes);

        Assert.Equal((4 + 3 + 1000 + 2) + (2000 + 2), Find(budget, "Relay ApduChannel").Bytes);
        Assert.Equal(2 * (6 + 254), Find(budget, "GP T=1'").Bytes);
        Assert.Equal(4 * 512, Find(budget, "Offline publish queue").Bytes);
    }

    [Fact]
    public void Create_MaxIfsdAnd64KApduBuffers_IsOverBudget()
    {
        var gp = new GpT1Options { Ifsd = GpFrameCodec.MaxIfs, MaxInformationSize = GpFrameCodec.MaxIfs };
        var relay = new RelayOptions { MaxCommandData = 65535, MaxResponseData = 65536 };

        MemoryBudget budget = AgentMemoryBudget.Create(gp, relay, new ReconnectOptions(), AgentMemoryBudget.DeviceMaxMqttPayload, MemoryBudget.Esp32HeapBytes);

        Assert.False(budget.Fits(MemoryBudget.DefaultReservePercent));
        Assert.False(budget.Fits(0));
        Assert.True(budget.FreeBytes < 0);
    }

    [Fact]
    public void Create_CodecMaximumPayload_IsOverBudget()
    {
        // The codecs take 64 KiB + 1024 (TlvFields.MaxMessage): without a device cap one message breaks the heap.
        MemoryBudget budget = AgentMemoryBudget.Create(new GpT1Options(), new RelayOptions(), new ReconnectOptions(), 0x10000 + 1024, MemoryBudget.Esp32HeapBytes);

        Assert.False(budget.Fits(0));
    }

    [Fact]
    public void Add_NegativeSize_Throws()
    {
        var budget = new MemoryBudget(1000);

        Assert.Throws<ArgumentOutOfRangeException>(() => budget.Add("x", -1, BudgetKind.Static));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryBudget(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => budget.Fits(100));
    }

    private static BudgetEntry Find(MemoryBudget budget, string prefix)
    {
        for (int i = 0; i < budget.Count; i++)
        {
            if (budget[i].Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return budget[i];
            }
        }

        throw new InvalidOperationException("no entry " + prefix);
    }
}
