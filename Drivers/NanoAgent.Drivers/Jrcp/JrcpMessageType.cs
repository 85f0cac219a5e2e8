namespace NanoAgent.Drivers.Jrcp
{
    /// <summary>
    /// The message types (MTY, first header byte) of NXP's "Remote JC Terminal" framing (JRCP v1), as NXP's plug-and-trust
    /// middleware defines them in <c>hostlib/hostLib/accessManager/inc/accessManager.h</c> (the same values serve its
    /// socket client <c>smComSocket_fd.c</c>, its serial client <c>smComSerial_PCLinux.c</c> and the board firmware
    /// <c>vcom/ksdk/vcom2i2c.h</c>).
    /// </summary>
    public static class JrcpMessageType
    {
        /// <summary>Wait for card (0x00): payload four bytes, the wait in ms big-endian; the answer's payload is the ATR.</summary>
        public const byte WaitForCard = 0x00;

        /// <summary>APDU data (0x01): a command APDU; the answer's payload is the response APDU.</summary>
        public const byte ApduData = 0x01;

        /// <summary>Status (0x02).</summary>
        public const byte Status = 0x02;

        /// <summary>Error message (0x03) from the terminal; the same value from a client is CLOSE (accessManager.h <c>MTY_CLOSE</c>).</summary>
        public const byte ErrorMessage = 0x03;

        /// <summary>Close (0x03): the client ends its session (<c>smComSocket_CloseFD</c>, vcom2i2c <c>CLOSE_CONN</c>).</summary>
        public const byte Close = 0x03;

        /// <summary>Terminal information (0x04).</summary>
        public const byte TerminalInfo = 0x04;

        /// <summary>Initialization data (0x05).</summary>
        public const byte InitializationData = 0x05;

        /// <summary>Information text (0x06).</summary>
        public const byte InformationText = 0x06;

        /// <summary>Debug information (0x07).</summary>
        public const byte DebugInformation = 0x07;

        /// <summary>Lock (0x30): reserve the SE for this client until <see cref="Unlock"/>.</summary>
        public const byte Lock = 0x30;

        /// <summary>Unlock (0x31).</summary>
        public const byte Unlock = 0x31;

        /// <summary>Set a 32-bit development value (0x40).</summary>
        public const byte SetUint32 = 0x40;

        /// <summary>Get a 32-bit development value (0x41).</summary>
        public const byte GetUint32 = 0x41;

        /// <summary>Quit (0x50): debug builds of NXP's access manager stop serving.</summary>
        public const byte Quit = 0x50;
    }
}
