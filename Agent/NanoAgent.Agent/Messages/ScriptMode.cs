namespace NanoAgent.Agent.Messages
{
    /// <summary>How a script request is run.</summary>
    public enum ScriptMode
    {
        /// <summary>All steps arrive in the request and run in one go.</summary>
        Batch = 0,

        /// <summary>The request opens a session; the backend then sends one APDU per MQTT round trip.</summary>
        Interactive = 1,
    }
}
