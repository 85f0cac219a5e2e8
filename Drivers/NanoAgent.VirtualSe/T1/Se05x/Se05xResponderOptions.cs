namespace NanoAgent.VirtualSe.T1.Se05x;

/// <summary>
/// Interface parameters of the virtual SE05x; <see cref="BuildAtr"/> lays them out as the real chip's ATR
/// (UM11225; defaults reproduce the published example <c>00 A000000396 04 03E8 00FE 02 0B 03E8 08 01 000000 0064 0000 0A "JCOP4 ATPO"</c>).
/// </summary>
public sealed class Se05xResponderOptions
{
    /// <summary>Gets or sets the largest INF the card accepts (IFSC), 1 to 254.</summary>
    public int Ifsc { get; set; } = 254;

    /// <summary>Gets or sets the block waiting time announced in the ATR, in milliseconds.</summary>
    public int BwtMilliseconds { get; set; } = 1000;

    /// <summary>Gets or sets the protocol version byte.</summary>
    public byte ProtocolVersion { get; set; }

    /// <summary>Gets or sets the five-byte vendor identifier (NXP's RID by default).</summary>
    public byte[] VendorId { get; set; } = [0xA0, 0x00, 0x00, 0x03, 0x96];

    /// <summary>Gets or sets the physical layer identifier (2 = I2C).</summary>
    public byte PhysicalLayerId { get; set; } = 2;

    /// <summary>Gets or sets the maximum clock frequency in kHz.</summary>
    public int MaxClockKhz { get; set; } = 1000;

    /// <summary>Gets or sets the CONFIG byte.</summary>
    public byte Config { get; set; } = 0x08;

    /// <summary>Gets or sets the minimum polling time byte.</summary>
    public byte MinPollingTime { get; set; } = 1;

    /// <summary>Gets or sets the SE guard time in microseconds.</summary>
    public int GuardTimeMicroseconds { get; set; } = 100;

    /// <summary>Gets or sets the wake-up time in microseconds.</summary>
    public int WakeUpTimeMicroseconds { get; set; }

    /// <summary>Gets or sets the historical bytes.</summary>
    public byte[] HistoricalBytes { get; set; } = "JCOP4 ATPO"u8.ToArray();

    /// <summary>Builds the ATR: PVER | VID | DLLP_len | BWT IFSC | PLID | PLP_len | MCF CONFIG MPOT RFU SEGT WUT | HB_len | HB.</summary>
    /// <returns>The ATR bytes.</returns>
    public byte[] BuildAtr()
    {
        var atr = new List<byte> { ProtocolVersion };
        atr.AddRange(VendorId);
        atr.Add(4);
        Add16(atr, BwtMilliseconds);
        Add16(atr, Ifsc);
        atr.Add(PhysicalLayerId);
        atr.Add(11);
        Add16(atr, MaxClockKhz);
        atr.Add(Config);
        atr.Add(MinPollingTime);
        atr.AddRange(new byte[3]);
        Add16(atr, GuardTimeMicroseconds);
        Add16(atr, WakeUpTimeMicroseconds);
        atr.Add((byte)HistoricalBytes.Length);
        atr.AddRange(HistoricalBytes);
        return atr.ToArray();
    }

    private static void Add16(List<byte> list, int value)
    {
        list.Add((byte)(value >> 8));
        list.Add((byte)value);
    }
}
