using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.Drivers.T1.Se05x;

namespace NanoAgent.Host.Se;

/// <summary>
/// The ISO/IEC 7816-3 ATR a PC/SC reader shows for an SE that has none of its own: an SE05x over I2C answers GET ATR
/// with the UM11225 layout and a GP SE its CIP (GPC_SPE_172), neither of which pcscd can parse. The mapping keeps what
/// identifies the chip, its historical bytes, and announces T=1, the protocol the block layer actually runs:
/// <c>3B | 8K | 01 | HB(K) | TCK</c>, where T0 = 0x80 + K says TD1 follows and K historical bytes (at most 15) come
/// last, TD1 = 0x01 says T=1 and nothing more, and TCK makes the XOR of T0..TCK zero (ISO/IEC 7816-3 §8.2). The SE's
/// own ATR/CIP stays available raw through JRCP (WAIT_FOR_CARD) and <c>se probe</c>.
/// </summary>
public static class IsoAtr
{
    /// <summary>The most historical bytes an ATR carries (ISO/IEC 7816-3 §8.2.2: K is four bits).</summary>
    public const int MaxHistoricalBytes = 15;

    /// <summary>Builds the ATR from historical bytes (the first 15 are kept).</summary>
    /// <param name="historical">The historical bytes, possibly empty.</param>
    /// <returns>The ATR.</returns>
    public static byte[] FromHistoricalBytes(ReadOnlySpan<byte> historical)
    {
        int k = Math.Min(historical.Length, MaxHistoricalBytes);
        var atr = new byte[3 + k + 1];
        atr[0] = 0x3B; // TS: direct convention
        atr[1] = (byte)(0x80 | k); // T0: TD1 present, K historical bytes
        atr[2] = 0x01; // TD1: T=1, no further interface bytes
        historical[..k].CopyTo(atr.AsSpan(3));
        byte tck = 0;
        for (int i = 1; i < atr.Length - 1; i++)
        {
            tck ^= atr[i];
        }

        atr[^1] = tck;
        return atr;
    }

    /// <summary>Builds the ATR for the SE behind a transport, from the historical bytes of its ATR or CIP.</summary>
    /// <param name="transport">The opened transport.</param>
    /// <returns>The ATR; with no historical bytes when the interface bytes do not parse.</returns>
    public static byte[] For(ISeTransport transport) => FromHistoricalBytes(HistoricalBytes(transport));

    /// <summary>Finds the historical bytes of the SE behind a transport: from its parsed ATR or CIP, or by parsing the raw bytes a lender passed on.</summary>
    /// <param name="transport">The transport.</param>
    /// <returns>The historical bytes, or none.</returns>
    public static byte[] HistoricalBytes(ISeTransport transport)
    {
        if (transport is Se05xT1Protocol { Atr: { } atr })
        {
            return atr.HistoricalBytes;
        }

        if (transport is GpT1Protocol { Cip: { } cip })
        {
            return cip.HistoricalBytes;
        }

        byte[]? raw = transport.InterfaceBytes;
        if (raw is null)
        {
            return [];
        }

        try
        {
            return Se05xAtr.Parse(raw, 0, raw.Length).HistoricalBytes;
        }
        catch (BlockProtocolException)
        {
        }

        try
        {
            return GpCip.Parse(raw, 0, raw.Length).HistoricalBytes;
        }
        catch (BlockProtocolException)
        {
            return [];
        }
    }
}
