using NanoAgent.Drivers.Gp;

namespace NanoAgent.Host.Gp;

/// <summary>Plain words for GP codes: open outcomes, life cycle states (GPC v2.3.1 §11.1.1), registry entry kinds.</summary>
public static class GpText
{
    /// <summary>Says why a session did not open.</summary>
    /// <param name="status">The outcome.</param>
    /// <returns>A phrase.</returns>
    public static string Describe(GpOpenStatus status) => status switch
    {
        GpOpenStatus.Opened => "session open",
        GpOpenStatus.SelectFailed => "the security domain cannot be selected (no such AID?)",
        GpOpenStatus.KeyVersionNotFound => "the card has no key set with this key version",
        GpOpenStatus.KeySetBlocked => "the key set is blocked after too many failed authentications",
        GpOpenStatus.InitializeUpdateRejected => "the card refused INITIALIZE UPDATE",
        GpOpenStatus.WrongKeys => "wrong keys: the card cryptogram does not match (nothing was counted against the key set)",
        GpOpenStatus.KeyVersionMismatch => "the card answered with another key version",
        GpOpenStatus.LevelNotSupported => "the card does not support this security level",
        GpOpenStatus.ExternalAuthenticateRejected => "the card refused EXTERNAL AUTHENTICATE",
        _ => "unknown outcome",
    };

    /// <summary>Names a life cycle state.</summary>
    /// <param name="kind">The entry kind (ISD, SD, APP, ELF).</param>
    /// <param name="state">The life cycle byte.</param>
    /// <returns>A name such as SELECTABLE, or the hex value.</returns>
    public static string LifeCycle(string kind, byte state) => kind switch
    {
        "ISD" => state switch
        {
            0x01 => "OP_READY",
            0x07 => "INITIALIZED",
            0x0F => "SECURED",
            0x7F => "CARD_LOCKED",
            0xFF => "TERMINATED",
            _ => state.ToString("X2"),
        },
        "ELF" => state == 0x01 ? "LOADED" : state.ToString("X2"),
        _ => (state & 0x80) != 0 ? "LOCKED" : state switch
        {
            0x03 => "INSTALLED",
            0x07 => "SELECTABLE",
            0x0F => "PERSONALIZED",
            _ => state.ToString("X2"),
        },
    };
}
