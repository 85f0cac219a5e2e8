using CsCheck;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;

namespace NanoAgent.Agent.Tests.Relay;

public class DurableTwoSlotStorageTests
{
    [Fact]
    public void Read_NothingWritten_IsNull()
    {
        Assert.Null(new TwoSlotRecordStorage(new DurableMemorySlots()).Read());
    }

    [Fact]
    public void Write_Alternates_SlotsAndReadReturnsNewest()
    {
        var slots = new DurableMemorySlots();
        var storage = new TwoSlotRecordStorage(slots);
        storage.Write([0xFF, 1, 2, 3], 1, 2);
        storage.Write([3, 4, 5], 0, 3);
        storage.Write([6], 0, 1);

        // Frame: sequence (4), length (4), record, CRC-16/X-25 (2).
        Assert.StartsWith("00000003" + "00000001" + "06", Hex.Of(slots.Slots[0]!));
        Assert.StartsWith("00000002" + "00000003" + "030405", Hex.Of(slots.Slots[1]!));
        Assert.Equal([6], storage.Read());
        Assert.Equal([6], new TwoSlotRecordStorage(slots).Read());
    }

    [Fact]
    public void NewInstance_ContinuesTheSequence()
    {
        var slots = new DurableMemorySlots();
        new TwoSlotRecordStorage(slots).Write([1], 0, 1);
        new TwoSlotRecordStorage(slots).Write([2], 0, 1);
        new TwoSlotRecordStorage(slots).Write([3], 0, 1);
        Assert.Equal([3], new TwoSlotRecordStorage(slots).Read());
        Assert.StartsWith("00000003", Hex.Of(slots.Slots[0]!));
    }

    [Fact]
    public void SequenceWrap_NewestStillWins()
    {
        var slots = new DurableMemorySlots();
        var storage = new TwoSlotRecordStorage(slots);
        storage.Write([1], 0, 1);
        storage.Write([2], 0, 1);
        // Reseal the slots with sequences FFFFFFFE and FFFFFFFF; the next write wraps to 0 in slot 0 and must win.
        Reseal(slots.Slots[0]!, 0xFE);
        Reseal(slots.Slots[1]!, 0xFF);
        Assert.Equal([2], new TwoSlotRecordStorage(slots).Read());
        var reopened = new TwoSlotRecordStorage(slots);
        reopened.Write([9], 0, 1);
        Assert.StartsWith("00000000", Hex.Of(slots.Slots[0]!));
        Assert.Equal([9], new TwoSlotRecordStorage(slots).Read());
    }

    private static void Reseal(byte[] frame, byte last)
    {
        frame[0] = frame[1] = frame[2] = 0xFF;
        frame[3] = last;
        ushort crc = NanoAgent.Drivers.T1.Crc16X25.Compute(frame, 0, frame.Length - 2);
        frame[^2] = (byte)(crc >> 8);
        frame[^1] = (byte)crc;
    }

    [Fact]
    public void TornWrite_AtEveryLength_ReadsThePreviousRecord()
    {
        // A full frame of the 4-byte record is 4 + 4 + 4 + 2 = 14 bytes: every shorter prefix is a torn write.
        for (int torn = 0; torn < 14; torn++)
        {
            var slots = new DurableMemorySlots();
            var storage = new TwoSlotRecordStorage(slots);
            storage.Write([1, 1], 0, 2);
            storage.Write([2, 2], 0, 2);
            slots.TearAtWrite = 3;
            slots.TornLength = torn;
            Assert.Throws<PowerCutException>(() => storage.Write([3, 3, 3, 3], 0, 4));

            Assert.Equal([2, 2], new TwoSlotRecordStorage(slots).Read());
            Assert.Equal([2, 2], storage.Read());

            // The next write after the cut goes to the torn slot again and succeeds.
            storage.Write([4], 0, 1);
            Assert.Equal([4], new TwoSlotRecordStorage(slots).Read());
        }
    }

    [Fact]
    public void FirstWriteTorn_ReadsNothingThenThrowsOnlyIfGarbageRemains()
    {
        var slots = new DurableMemorySlots { TearAtWrite = 1, TornLength = 0 };
        Assert.Throws<PowerCutException>(() => new TwoSlotRecordStorage(slots).Write([1], 0, 1));
        Assert.Null(new TwoSlotRecordStorage(slots).Read());

        slots.Slots[0] = [1, 2, 3];
        var e = Assert.Throws<RelayStoreException>(() => new TwoSlotRecordStorage(slots).Read());
        Assert.Equal(RelayStoreError.NoIntactSlot, e.Error);
    }

    [Fact]
    public void BothSlotsCorrupt_Throws()
    {
        var slots = new DurableMemorySlots();
        var storage = new TwoSlotRecordStorage(slots);
        storage.Write([1], 0, 1);
        storage.Write([2], 0, 1);
        slots.Slots[0]![9] ^= 1;
        slots.Slots[1]![9] ^= 1;
        var e = Assert.Throws<RelayStoreException>(() => new TwoSlotRecordStorage(slots).Read());
        Assert.Equal(RelayStoreError.NoIntactSlot, e.Error);
    }

    [Fact]
    public void Read_RandomSlotContents_ReturnsOrThrowsOnlyRelayStoreException()
    {
        Gen.Select(Gen.Byte.Array[0, 40], Gen.Byte.Array[0, 40]).Sample((a, b) =>
        {
            var slots = new DurableMemorySlots();
            slots.Slots[0] = a;
            slots.Slots[1] = b;
            try
            {
                new TwoSlotRecordStorage(slots).Read();
            }
            catch (RelayStoreException)
            {
            }
        }, iter: 2000);
    }
}
