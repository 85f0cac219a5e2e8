namespace NanoAgent.Drivers.Bus
{
    /// <summary>
    /// Time source for guard times, polling and block waiting time. Tests use a virtual clock so no test sleeps.
    /// </summary>
    public interface IClock
    {
        /// <summary>Gets a monotonic time in milliseconds (arbitrary origin).</summary>
        long Milliseconds { get; }

        /// <summary>Waits at least <paramref name="milliseconds"/> milliseconds.</summary>
        /// <param name="milliseconds">Time to wait; zero yields.</param>
        void Sleep(int milliseconds);
    }
}
