namespace NanoAgent.Host.Diag;

/// <summary>
/// The block protocol a pcap capture records in the high nibble of its pseudo-header byte, so the Wireshark dissector
/// (Wireshark/nanoagent.lua) never has to guess. Zero is what captures written before this field held.
/// </summary>
public enum CaptureProtocol : byte
{
    /// <summary>Not recorded: the dissector guesses from the NAD.</summary>
    Unknown = 0,

    /// <summary>NXP SE05x T=1 over I2C (UM11225): 1-byte LEN, CRC low byte first.</summary>
    Se05xI2c = 1,

    /// <summary>GlobalPlatform T=1' over I2C (GPC_SPE_172): 2-byte LEN, CRC high byte first.</summary>
    GpI2c = 2,

    /// <summary>GlobalPlatform T=1' over SPI (GPC_SPE_172).</summary>
    GpSpi = 3,
}
