namespace NanoAgent.Host.Diag;

/// <summary>What one mark on the <c>diag --html</c> frame timeline stands for.</summary>
public enum TimelineEventKind
{
    /// <summary>An I-block (information: part of an APDU).</summary>
    Information,

    /// <summary>An R-block that acknowledges (no error bits).</summary>
    ReceiveReady,

    /// <summary>An S-block (RESYNCH, IFS, WTX, ATR/CIP, reset, end of session) that is not a retry.</summary>
    Supervisory,

    /// <summary>A retry: an R-block asking for a retransmission, an S request or an I-block sent again.</summary>
    Retry,

    /// <summary>A frame whose CRC or LEN is wrong.</summary>
    Corrupt,

    /// <summary>Transfers the bus refused (I2C NACK, timeout, bus error), counted together while nothing else happened.</summary>
    Nack,

    /// <summary>Reads the SE answered busy without a frame (SPI filler), counted together.</summary>
    Busy,

    /// <summary>A note on the run, such as a bus speed change during the sweep.</summary>
    Marker,
}
