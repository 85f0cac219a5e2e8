namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>What a diagnostic finding says, as a code a program can test; each cause has its own.</summary>
    public enum DiagnosticCode
    {
        /// <summary>The check passed.</summary>
        Passed = 0,

        /// <summary>The bus scan result (a fact).</summary>
        ScanResult = 1,

        /// <summary>Nothing acknowledges the SE's address: wiring, pull-ups or power.</summary>
        NoAck = 2,

        /// <summary>Nothing answers at the expected address but another address does.</summary>
        WrongAddress = 3,

        /// <summary>The SE takes frames but refuses every read: held in reset or busy.</summary>
        StuckNack = 4,

        /// <summary>The SE answers another block protocol than the one configured.</summary>
        WrongProtocol = 5,

        /// <summary>The SE answers, but not with frames of any protocol tried.</summary>
        UnknownAnswer = 6,

        /// <summary>Frames arrive corrupt (CRC errors) at the speed in use.</summary>
        CrcErrors = 7,

        /// <summary>Frames are clean at a lower speed and corrupt at a higher one: signal integrity.</summary>
        SpeedDependentErrors = 8,

        /// <summary>The SE resets or goes silent when it runs APDUs: supply or reset line.</summary>
        ResetUnderLoad = 9,

        /// <summary>Some APDU round trips failed or needed retries.</summary>
        EchoErrors = 10,

        /// <summary>The bus reports errors at every address: a line held low.</summary>
        BusStuck = 11,

        /// <summary>A link failure none of the other codes explains.</summary>
        LinkFailure = 12,
    }
}
