using NanoAgent.Drivers.T1.Gp;

namespace NanoAgent.VirtualSe.T1.Gp;

/// <summary>What the virtual GP T=1' SE declares in its CIP and uses as defaults (GPC_SPE_172 §4.3).</summary>
public sealed class GpT1ResponderOptions
{
    /// <summary>Gets or sets the physical layer declared (PLID).</summary>
    public GpPhysicalLayer PhysicalLayer { get; set; } = GpPhysicalLayer.I2c;

    /// <summary>Gets or sets the IFSC the SE declares and accepts.</summary>
    public int Ifsc { get; set; } = 254;

    /// <summary>Gets or sets the IFSD the SE assumes until the host proposes one.</summary>
    public int DefaultIfsd { get; set; } = 254;

    /// <summary>Gets or sets the block waiting time in milliseconds.</summary>
    public int BwtMs { get; set; } = 300;

    /// <summary>Gets or sets the minimum polling time in units of 100 µs.</summary>
    public int MinPollingTime100Us { get; set; } = 10;

    /// <summary>Gets or sets the guard time in µs (RWGT on I2C, SEGT on SPI).</summary>
    public int GuardTimeUs { get; set; } = 200;

    /// <summary>Gets or sets the maximum clock frequency in kHz.</summary>
    public int MaxClockKhz { get; set; } = 1000;

    /// <summary>Gets or sets the power wake-up time in ms.</summary>
    public int PowerWakeUpTimeMs { get; set; } = 25;

    /// <summary>Gets or sets the protocol version byte.</summary>
    public int Version { get; set; } = 1;

    /// <summary>Gets or sets the issuer identification number.</summary>
    public byte[] Iin { get; set; } = [0x00, 0x00, 0x00, 0x00];

    /// <summary>Gets or sets the historical bytes.</summary>
    public byte[] HistoricalBytes { get; set; } = "nanoAgent VSE"u8.ToArray();

    /// <summary>Encodes the CIP: PVER | IIN_len | IIN | PLID | PLP_len | PLP | DLLP_len | DLLP | HB_len | HB.</summary>
    /// <returns>The CIP bytes.</returns>
    public byte[] BuildCip()
    {
        var cip = new List<byte> { (byte)Version, (byte)Iin.Length };
        cip.AddRange(Iin);
        cip.Add((byte)PhysicalLayer);
        bool spi = PhysicalLayer == GpPhysicalLayer.Spi;
        cip.Add((byte)(spi ? 12 : 8));

        // CONFIG, PWT, MCF(2), PST, MPOT, then RWGT(2) on I2C or SEGT(2), SEAL(2), WUT(2) on SPI.
        cip.AddRange([0x00, (byte)PowerWakeUpTimeMs, (byte)(MaxClockKhz >> 8), (byte)MaxClockKhz, 0x00, (byte)MinPollingTime100Us]);
        cip.AddRange([(byte)(GuardTimeUs >> 8), (byte)GuardTimeUs]);
        if (spi)
        {
            cip.AddRange([0x00, 0x10, 0x00, 0x00]);
        }

        cip.AddRange([0x04, (byte)(BwtMs >> 8), (byte)BwtMs, (byte)(Ifsc >> 8), (byte)Ifsc]);
        cip.Add((byte)HistoricalBytes.Length);
        cip.AddRange(HistoricalBytes);
        return cip.ToArray();
    }
}
