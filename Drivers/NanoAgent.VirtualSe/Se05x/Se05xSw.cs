namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// The status words the virtual SE05x answers, each with where it comes from. The applet's own set is NXP middleware
/// se05x_tlv.h smStatus_t (SM_ERR_*) and se05x_enums.h SE05x_SW12_t; the rest are ISO/IEC 7816-4 §5.6 values as
/// NXP's sm_apdu.h names them.
/// </summary>
internal static class Se05xSw
{
    /// <summary>9000 SM_OK.</summary>
    public const ushort Ok = 0x9000;

    /// <summary>6700 SM_ERR_WRONG_LENGTH: "C-APDU does not fit into APDU buffer" (also an APDU that does not parse).</summary>
    public const ushort WrongLength = 0x6700;

    /// <summary>6982 SM_ERR_SECURITY_STATUS: platform SCP required but absent, or a session not authenticated yet.</summary>
    public const ushort SecurityStatus = 0x6982;

    /// <summary>6984 SM_ERR_DATA_INVALID: "policy set invalid for the given object".</summary>
    public const ushort DataInvalid = 0x6984;

    /// <summary>
    /// 6985 SM_ERR_CONDITIONS_NOT_SATISFIED: absent or blocked authenticator, wrong UserID, invalid session (AN12413
    /// CreateSession / VerifySessionUserID trailers), reading a secret, a counter that would go down.
    /// </summary>
    public const ushort ConditionsNotSatisfied = 0x6985;

    /// <summary>6986 SM_ERR_COMMAND_NOT_ALLOWED: "access denied based on object policy".</summary>
    public const ushort CommandNotAllowed = 0x6986;

    /// <summary>6A80 SM_ERR_WRONG_DATA: malformed TLVs, missing or extra tags, bad lengths or values.</summary>
    public const ushort WrongData = 0x6A80;

    /// <summary>6A82 file or application not found (sm_apdu.h SW_FILE_NOT_FOUND): SELECT of an AID the card lacks.</summary>
    public const ushort NotFound = 0x6A82;

    /// <summary>6A84 SM_ERR_FILE_FULL: "not enough memory space available (either transient or persistent memory)".</summary>
    public const ushort FileFull = 0x6A84;

    /// <summary>6A86 incorrect P1 P2 (sm_apdu.h SW_INCORRECT_P1P2): a P1/P2 the virtual applet does not implement.</summary>
    public const ushort IncorrectP1P2 = 0x6A86;

    /// <summary>6A88 referenced data not found (GP Amd D §7.1.1): INITIALIZE UPDATE naming an unknown key version.</summary>
    public const ushort ReferencedDataNotFound = 0x6A88;

    /// <summary>6B00 wrong P1 P2: VerifySessionUserID outside a session (NXP community trace, se05x-facts.md §2).</summary>
    public const ushort WrongP1P2 = 0x6B00;

    /// <summary>6881 logical channel not supported (ISO/IEC 7816-4): the virtual SE05x has the basic channel only.</summary>
    public const ushort ChannelNotSupported = 0x6881;

    /// <summary>6D00 SW_INS_NOT_SUPPORTED.</summary>
    public const ushort InsNotSupported = 0x6D00;

    /// <summary>6E00 SW_CLA_NOT_SUPPORTED.</summary>
    public const ushort ClaNotSupported = 0x6E00;

    /// <summary>6F00 no precise diagnosis (ISO/IEC 7816-4): an internal fault, never an exception.</summary>
    public const ushort NoPreciseDiagnosis = 0x6F00;
}
