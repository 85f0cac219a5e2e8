namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// Why a remote test-tool session broke (carried by <see cref="RemoteException"/>). Answers the protocol itself
    /// defines, such as a command that cannot be parsed, are <see cref="RemoteErrorCode"/> values sent to the tool instead.
    /// </summary>
    public enum RemoteError
    {
        /// <summary>The stream failed while reading or writing.</summary>
        Network = 1,

        /// <summary>The stream ended inside a message (after some of its length or body bytes).</summary>
        Truncated = 2,

        /// <summary>A length prefix is negative (its top bit is set), so the stream cannot be followed any further.</summary>
        InvalidLength = 3,

        /// <summary>A response does not fit the session's message buffer (a sizing bug, not the tool's fault).</summary>
        ResponseTooLarge = 4,

        /// <summary>An offset and count given by the caller lie outside the buffer, or a name is empty.</summary>
        InvalidArgument = 5,
    }
}
