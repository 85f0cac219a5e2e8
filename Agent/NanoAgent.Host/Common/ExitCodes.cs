namespace NanoAgent.Host.Common;

/// <summary>Process exit codes of every <c>nanoagent</c> command.</summary>
public static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Ok = 0;

    /// <summary>The SE or the peer answered, but with a failure (status word, check failed).</summary>
    public const int Failed = 1;

    /// <summary>
    /// The command line was wrong, or a file it names (or reads by default) is missing, a directory, unreadable, corrupt or of
    /// the wrong kind: one line <c>error: &lt;path&gt;: &lt;problem&gt;</c>.
    /// </summary>
    public const int Usage = 2;

    /// <summary>The SE or the MQTT broker could not be reached: no device, bus fault, timeout, broken link, connection refused.</summary>
    public const int NoDevice = 3;

    /// <summary>A bug: an exception nothing expected, printed with its stack trace (sysexits EX_SOFTWARE).</summary>
    public const int InternalError = 70;
}
