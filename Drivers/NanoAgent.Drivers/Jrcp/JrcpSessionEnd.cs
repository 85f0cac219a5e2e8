namespace NanoAgent.Drivers.Jrcp
{
    /// <summary>Why a JRCP session stopped serving.</summary>
    public enum JrcpSessionEnd
    {
        /// <summary>The client sent CLOSE on a link that ends with it (a TCP connection).</summary>
        ClientClosed = 1,

        /// <summary>The link closed or broke.</summary>
        LinkClosed = 2,

        /// <summary>The server was told to stop.</summary>
        Stopped = 3,
    }
}
