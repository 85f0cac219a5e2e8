namespace NanoAgent.Host.Cli;

/// <summary>Process exit codes of every <c>nanoagent</c> command.</summary>
public static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Ok = 0;

    /// <summary>The SE or the peer answered, but with a failure (status word, check failed).</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>The SE could not be reached: no device, bus fault, timeout, broken link.</summary>
    public const int NoDevice = 3;
}
