namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// The error codes a response message carries per layer (server, client, terminal, card), from the GlobalPlatform
    /// SE Abstract Communication Layer over TCP/IP README "Error Codes" table.
    /// </summary>
    public enum RemoteErrorCode
    {
        /// <summary>SUCCESS: the command was executed.</summary>
        Success = 0,

        /// <summary>ERR_TIMEOUT: the command could not be executed within the given time.</summary>
        Timeout = -1,

        /// <summary>ERR_NETWORK: a network error occurred.</summary>
        Network = -2,

        /// <summary>ERR_CLIENT_CLOSED: the client disconnected.</summary>
        ClientClosed = -3,

        /// <summary>ERR_INVALID_STATE: the command cannot currently be executed.</summary>
        InvalidState = -4,

        /// <summary>ERR_INVALID_REQUEST: the command was not understood by the client.</summary>
        InvalidRequest = -5,

        /// <summary>ERR_JSON_PARSING: the command (or response) could not be parsed.</summary>
        JsonParsing = -6,

        /// <summary>ERR_INVALID_TERMINAL: the terminal is not available.</summary>
        InvalidTerminal = -7,
    }
}
