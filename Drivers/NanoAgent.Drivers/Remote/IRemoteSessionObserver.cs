namespace NanoAgent.Drivers.Remote
{
    /// <summary>Hears about every command a remote test-tool session served, for logs and consoles.</summary>
    public interface IRemoteSessionObserver
    {
        /// <summary>Called after a command was answered, or after REQ_DISCONNECT (which gets no answer).</summary>
        /// <param name="request">The request code, or -1 when the message could not be parsed.</param>
        /// <param name="response">The response sent (or, for REQ_DISCONNECT, not sent).</param>
        /// <param name="elapsedMs">How long the SE took, in milliseconds.</param>
        void OnServed(int request, RemoteResponse response, long elapsedMs);
    }
}
