namespace NanoAgent.Drivers.Apdu
{
    /// <summary>
    /// Why an APDU could not be parsed, built or exchanged.
    /// </summary>
    public enum ApduError
    {
        /// <summary>Fewer than four header bytes.</summary>
        TooShort = 1,

        /// <summary>The body length does not match any ISO/IEC 7816-4 §5.1 case.</summary>
        InvalidLength = 2,

        /// <summary>A caller's buffer is too small for the APDU.</summary>
        BufferTooSmall = 3,

        /// <summary>A field is out of range (for example data longer than 65535 bytes, or a short APDU with more than 255).</summary>
        InvalidField = 4,

        /// <summary>The card answered with fewer than two bytes.</summary>
        ResponseTooShort = 5,

        /// <summary>The card kept answering 61xx or 6Cxx beyond the allowed number of rounds.</summary>
        TooManyRounds = 6,

        /// <summary>The response (after joining GET RESPONSE rounds) does not fit the caller's buffer, or the transport reported more bytes than it was given room for.</summary>
        ResponseTooLarge = 7,

        /// <summary>The command cannot be sent as asked: for example it is already chained by the caller and still too long to send.</summary>
        CommandTooLarge = 8,
    }
}
