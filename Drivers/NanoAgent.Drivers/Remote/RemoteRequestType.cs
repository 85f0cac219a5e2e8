namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// The request codes of a command message's <c>request</c> property (GlobalPlatform SE Abstract Communication Layer
    /// over TCP/IP, README "Request Types" table).
    /// </summary>
    public enum RemoteRequestType
    {
        /// <summary>REQ_CONNECT: "currently not in use".</summary>
        Connect = 0,

        /// <summary>REQ_DIAG: get diagnostic information from the SE.</summary>
        Diag = 1,

        /// <summary>REQ_DISCONNECT: the client shall disconnect; no response expected.</summary>
        Disconnect = 2,

        /// <summary>REQ_ECHO: echo the command data.</summary>
        Echo = 3,

        /// <summary>REQ_INIT: "currently not in use".</summary>
        Init = 4,

        /// <summary>REQ_RESTART: "currently not in use".</summary>
        Restart = 5,

        /// <summary>REQ_COMMAND: send an ISO 7816 command APDU.</summary>
        Command = 6,

        /// <summary>REQ_COMMAND_A: send a contactless type A command.</summary>
        CommandA = 7,

        /// <summary>REQ_COMMAND_B: send a contactless type B command.</summary>
        CommandB = 8,

        /// <summary>REQ_COMMAND_F: send a contactless type F command.</summary>
        CommandF = 9,

        /// <summary>REQ_COLD_RESET: cold-reset the SE; the response is the ATR.</summary>
        ColdReset = 10,

        /// <summary>REQ_WARM_RESET: warm-reset the SE; the response is the ATR.</summary>
        WarmReset = 11,

        /// <summary>REQ_POWER_OFF_FIELD: power off the contactless front end.</summary>
        PowerOffField = 12,

        /// <summary>REQ_POWER_ON_FIELD: power on the contactless front end.</summary>
        PowerOnField = 13,
    }
}
