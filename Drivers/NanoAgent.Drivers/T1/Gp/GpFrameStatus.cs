namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>What <see cref="GpFrameCodec.Check"/> found in a received frame.</summary>
    public enum GpFrameStatus
    {
        /// <summary>Prologue, length and CRC are consistent.</summary>
        Valid = 0,

        /// <summary>Fewer bytes than a prologue and CRC.</summary>
        Truncated = 1,

        /// <summary>The LEN field disagrees with the number of bytes received.</summary>
        LengthMismatch = 2,

        /// <summary>The CRC does not match the bytes.</summary>
        CrcError = 3,
    }
}
