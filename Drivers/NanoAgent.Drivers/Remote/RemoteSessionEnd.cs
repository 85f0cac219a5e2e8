namespace NanoAgent.Drivers.Remote
{
    /// <summary>How a remote test-tool session ended.</summary>
    public enum RemoteSessionEnd
    {
        /// <summary>The session is still running.</summary>
        Running = 0,

        /// <summary>The test tool sent REQ_DISCONNECT.</summary>
        Disconnected = 1,

        /// <summary>The test tool closed the connection between messages.</summary>
        ToolClosed = 2,
    }
}
