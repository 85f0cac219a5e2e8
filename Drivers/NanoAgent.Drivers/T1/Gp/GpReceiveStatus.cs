namespace NanoAgent.Drivers.T1.Gp
{
    /// <summary>Outcome of waiting for one block from the SE.</summary>
    internal enum GpReceiveStatus
    {
        /// <summary>A well-formed block from the SE is in the receive buffer.</summary>
        Ok = 0,

        /// <summary>No block started within the waiting time.</summary>
        Timeout = 1,

        /// <summary>A block arrived with a bad CRC.</summary>
        CrcError = 2,

        /// <summary>A block arrived with a wrong NAD, an impossible length or a failed transfer.</summary>
        BadFrame = 3,
    }
}
