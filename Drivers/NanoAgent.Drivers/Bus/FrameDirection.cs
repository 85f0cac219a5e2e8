namespace NanoAgent.Drivers.Bus
{
    /// <summary>Which way a traced transfer went.</summary>
    public enum FrameDirection
    {
        /// <summary>Bytes the host sent to the SE.</summary>
        HostToSe = 0,

        /// <summary>Bytes the host read from the SE.</summary>
        SeToHost = 1,
    }
}
