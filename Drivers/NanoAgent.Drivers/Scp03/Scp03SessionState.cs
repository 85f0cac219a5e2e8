namespace NanoAgent.Drivers.Scp03
{
    /// <summary>
    /// Where a host-side SCP03 session is in the GP Amd D §5.2 explicit initiation sequence.
    /// </summary>
    public enum Scp03SessionState
    {
        /// <summary>No INITIALIZE UPDATE built yet.</summary>
        Idle = 0,

        /// <summary>INITIALIZE UPDATE built; waiting for the card's response.</summary>
        InitializeUpdateSent = 1,

        /// <summary>The card cryptogram verified (or was precomputed); EXTERNAL AUTHENTICATE can be built.</summary>
        CardAuthenticated = 2,

        /// <summary>EXTERNAL AUTHENTICATE built; waiting for 9000.</summary>
        ExternalAuthenticateSent = 3,

        /// <summary>The secure channel is open: commands can be wrapped and responses unwrapped.</summary>
        Open = 4,

        /// <summary>The session ended (closed by the caller or after a failed authentication).</summary>
        Closed = 5,
    }
}
