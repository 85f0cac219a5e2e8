namespace NanoAgent.Drivers.Se05x
{
    /// <summary>
    /// What a well-formed SE05x response means. The status words are ISO/IEC 7816-4 §5.6 values as the applet uses them
    /// (AN12413 §4.2 error codes; middleware smStatus_t SM_ERR_*).
    /// </summary>
    public enum Se05xOutcome
    {
        /// <summary>9000: the command succeeded.</summary>
        Success = 0,

        /// <summary>6982: security status not satisfied (for example a policy needs an authenticated session).</summary>
        SecurityStatusNotSatisfied = 1,

        /// <summary>6985: conditions of use not satisfied (for example the object does not exist, or a counter would go back).</summary>
        ConditionsNotSatisfied = 2,

        /// <summary>6986: command not allowed, refused by the object policy.</summary>
        CommandNotAllowed = 3,

        /// <summary>6A80: wrong data in the command.</summary>
        WrongData = 4,

        /// <summary>6A84: not enough memory in the SE.</summary>
        FileFull = 5,

        /// <summary>Any other status word; read it from the response.</summary>
        OtherError = 6,

        /// <summary>A validation (MAC, signature) ran and the value did not match; or a freshness check failed.</summary>
        Rejected = 7,
    }
}
