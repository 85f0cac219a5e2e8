namespace NanoAgent.Drivers.Gp
{
    /// <summary>How an attempt to open an authenticated SCP03 session to a security domain ended (see <see cref="GpSecureSession.Open"/>).</summary>
    public enum GpOpenStatus
    {
        /// <summary>The session is open at the requested security level.</summary>
        Opened = 0,

        /// <summary>SELECT of the security domain failed (for example '6A82': no such AID).</summary>
        SelectFailed = 1,

        /// <summary>The card has no key set with this key version ('6A88', GP Amd D §7.1.1.3).</summary>
        KeyVersionNotFound = 2,

        /// <summary>The key set is blocked after too many failed authentications ('6983').</summary>
        KeySetBlocked = 3,

        /// <summary>INITIALIZE UPDATE was refused with another status word (see <see cref="GpSecureSession.LastStatusWord"/>).</summary>
        InitializeUpdateRejected = 4,

        /// <summary>The card cryptogram does not match: the card holds other keys under this key version. Nothing was counted against the key set: EXTERNAL AUTHENTICATE was not sent.</summary>
        WrongKeys = 5,

        /// <summary>The card answered with another key version than the one asked for.</summary>
        KeyVersionMismatch = 6,

        /// <summary>The card's i parameter does not allow the requested security level.</summary>
        LevelNotSupported = 7,

        /// <summary>The card refused EXTERNAL AUTHENTICATE.</summary>
        ExternalAuthenticateRejected = 8,
    }
}
