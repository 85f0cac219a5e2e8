namespace NanoAgent.Drivers.Apdu
{
    /// <summary>
    /// How the Lc and Le fields of a command APDU are encoded (ISO/IEC 7816-4 §5.1).
    /// </summary>
    public enum ApduLengthForm
    {
        /// <summary>Short form when Nc ≤ 255 and Ne ≤ 256, extended form otherwise.</summary>
        Auto = 0,

        /// <summary>Short form only: one-byte Lc and Le; larger fields are refused.</summary>
        Short = 1,

        /// <summary>Extended form even when the short form would do.</summary>
        Extended = 2,
    }
}
