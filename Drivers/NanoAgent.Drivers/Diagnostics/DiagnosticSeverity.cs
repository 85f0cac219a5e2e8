namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>How much a diagnostic finding matters.</summary>
    public enum DiagnosticSeverity
    {
        /// <summary>The check passed.</summary>
        Pass = 0,

        /// <summary>A fact worth knowing; not a fault.</summary>
        Info = 1,

        /// <summary>Works now, but a margin is thin (for example errors only above the speed in use).</summary>
        Warning = 2,

        /// <summary>The check failed: the SE cannot be used as wired.</summary>
        Fail = 3,
    }
}
