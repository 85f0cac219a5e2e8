namespace NanoAgent.Drivers.Tlv
{
    /// <summary>
    /// Why BER-TLV data could not be read or written.
    /// </summary>
    public enum TlvError
    {
        /// <summary>A tag, length or value runs past the end of the data.</summary>
        Truncated = 1,

        /// <summary>A tag is longer than three bytes, or a tag number given to the writer is not a valid BER tag encoding.</summary>
        InvalidTag = 2,

        /// <summary>The length uses the indefinite form (80) or more than three length bytes (84 and up), or is negative.</summary>
        InvalidLength = 3,

        /// <summary>The writer's buffer has no room for the next bytes.</summary>
        BufferTooSmall = 4,

        /// <summary>Constructed objects were closed without being opened, left open, or nested deeper than the writer allows.</summary>
        Unbalanced = 5,

        /// <summary>An offset and count given by the caller lie outside the buffer.</summary>
        InvalidRange = 6,
    }
}
