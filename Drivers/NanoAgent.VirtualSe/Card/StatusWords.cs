namespace NanoAgent.VirtualSe.Card;

/// <summary>The status words the card side answers (ISO/IEC 7816-4, status bytes tables; GPC v2.3.1 §11.1.3).</summary>
public static class StatusWords
{
    /// <summary>'9000': normal processing.</summary>
    public const ushort Ok = 0x9000;

    /// <summary>'6200': warning, state of non-volatile memory unchanged (closing a channel that is not open).</summary>
    public const ushort WarningNoInformation = 0x6200;

    /// <summary>'6310': more data available (GPC §11.4.3: GET STATUS continues with "next occurrence").</summary>
    public const ushort MoreDataAvailable = 0x6310;

    /// <summary>'6300': authentication of the host cryptogram failed (GP Amd D §7.1.2.3).</summary>
    public const ushort AuthenticationFailed = 0x6300;

    /// <summary>'6581': memory failure (the state could not be saved).</summary>
    public const ushort MemoryFailure = 0x6581;

    /// <summary>'6700': wrong length.</summary>
    public const ushort WrongLength = 0x6700;

    /// <summary>'6881': logical channel not supported or not open.</summary>
    public const ushort LogicalChannelNotSupported = 0x6881;

    /// <summary>'6882': secure messaging not supported.</summary>
    public const ushort SecureMessagingNotSupported = 0x6882;

    /// <summary>'6982': security status not satisfied (no authenticated session, or not the owner).</summary>
    public const ushort SecurityStatusNotSatisfied = 0x6982;

    /// <summary>'6983': authentication method blocked (the key set is locked after failed authentications).</summary>
    public const ushort AuthenticationBlocked = 0x6983;

    /// <summary>'6884': command chaining not supported.</summary>
    public const ushort ChainingNotSupported = 0x6884;

    /// <summary>'6985': conditions of use not satisfied.</summary>
    public const ushort ConditionsNotSatisfied = 0x6985;

    /// <summary>'6A80': incorrect parameters in the data field.</summary>
    public const ushort WrongData = 0x6A80;

    /// <summary>'6A81': function not supported.</summary>
    public const ushort FunctionNotSupported = 0x6A81;

    /// <summary>'6A82': file or application not found.</summary>
    public const ushort NotFound = 0x6A82;

    /// <summary>'6A84': not enough memory space.</summary>
    public const ushort NotEnoughMemory = 0x6A84;

    /// <summary>'6A86': incorrect P1-P2.</summary>
    public const ushort WrongP1P2 = 0x6A86;

    /// <summary>'6A88': referenced data not found.</summary>
    public const ushort ReferencedDataNotFound = 0x6A88;

    /// <summary>'6D00': instruction not supported.</summary>
    public const ushort InsNotSupported = 0x6D00;

    /// <summary>'6E00': class not supported.</summary>
    public const ushort ClaNotSupported = 0x6E00;

    /// <summary>'6F00': no precise diagnosis (an internal fault of the virtual card; never expected).</summary>
    public const ushort NoPreciseDiagnosis = 0x6F00;

    /// <summary>'61xx': response bytes still available; SW2 is the count, 00 meaning 256 or more.</summary>
    /// <param name="remaining">Bytes still available.</param>
    /// <returns>The status word.</returns>
    public static ushort BytesRemaining(int remaining) => (ushort)(0x6100 | (remaining >= 256 ? 0 : remaining));

    /// <summary>'6Cxx': wrong Le; SW2 is the exact number of available bytes (00 meaning 256).</summary>
    /// <param name="available">Bytes available.</param>
    /// <returns>The status word.</returns>
    public static ushort WrongLe(int available) => (ushort)(0x6C00 | (available & 0xFF));
}
