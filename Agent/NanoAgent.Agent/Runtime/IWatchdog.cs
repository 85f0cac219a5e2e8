namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// A watchdog the agent loop feeds while it is healthy; when feeding stops for longer than the watchdog's timeout the
    /// platform reboots the board. The timeout belongs to the platform and must exceed the longest healthy loop iteration.
    /// </summary>
    public interface IWatchdog
    {
        /// <summary>Restarts the watchdog's countdown.</summary>
        void Feed();
    }
}
