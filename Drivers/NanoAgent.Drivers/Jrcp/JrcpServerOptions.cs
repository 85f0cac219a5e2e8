namespace NanoAgent.Drivers.Jrcp
{
    /// <summary>
    /// Limits and timeouts of a JRCP session serving the SE (docs/remote-test-tool.md, "Board link"). The defaults keep
    /// a forgotten or crashed lab tool from holding the SE: the relay waits at most <see cref="LockMaxMs"/>, well under
    /// the firmware watchdog's 60 s.
    /// </summary>
    public sealed class JrcpServerOptions
    {
        /// <summary>Gets or sets the longest message payload taken (default <see cref="JrcpFraming.DefaultMaxPayload"/>).</summary>
        public int MaxPayload { get; set; } = JrcpFraming.DefaultMaxPayload;

        /// <summary>Gets or sets the response buffer size: the longest response APDU sent back (at most 65535).</summary>
        public int MaxResponse { get; set; } = JrcpFraming.DefaultMaxPayload;

        /// <summary>Gets or sets how long a started message may pause between bytes before it is dropped (default 1000 ms).</summary>
        public int FrameTimeoutMs { get; set; } = 1000;

        /// <summary>Gets or sets how long a request waits for the SE while another user holds it (default 5000 ms).</summary>
        public int LockWaitMs { get; set; } = 5000;

        /// <summary>Gets or sets how long a LOCK survives without a message from its client (default 5000 ms).</summary>
        public int LockIdleMs { get; set; } = 5000;

        /// <summary>Gets or sets how long a LOCK is kept at most, messages or not (default 30000 ms).</summary>
        public int LockMaxMs { get; set; } = 30000;

        /// <summary>Gets or sets how often the session looks at its timeouts while the link is quiet (default 100 ms).</summary>
        public int PollMs { get; set; } = 100;

        /// <summary>
        /// Gets or sets a value indicating whether CLOSE ends the session (true on a TCP connection; false on a serial port,
        /// which stays open for the next client).
        /// </summary>
        public bool CloseEndsSession { get; set; } = true;
    }
}
