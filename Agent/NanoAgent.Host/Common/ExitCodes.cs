namespace NanoAgent.Host.Common;

/// <summary>
/// Process exit codes of every <c>nanoagent</c> command, by one rule (README, docs/exit-codes.md): ask who must act.
/// The other side said no: 1. The input (the command line, or a file it names) is wrong: 2. What the command needs is
/// not there or not free: 3. This program is wrong: 70. A new command picks its codes by this rule and adds its rows,
/// each with a test, to docs/exit-codes.md.
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything worked; also a long-running command ended by SIGTERM or SIGINT (one line, stores closed).</summary>
    public const int Ok = 0;

    /// <summary>
    /// A peer answered, with a failure or a refusal: the SE (a status word, SCP03 authentication refused, platform keys that
    /// do not match the SE's), the agent (a step mismatch, a refused request), the broker (login refused, not authorized),
    /// a test tool that sends what cannot be followed, or a check (a bundle refused, a reading rejected, a demo check, a
    /// diagnosis where something answers, wrongly).
    /// </summary>
    public const int Failed = 1;

    /// <summary>
    /// Bad input: the command line (does not parse, a value out of range, options that contradict each other, an irreversible
    /// operation without --yes), or a file it names or reads by default, input or output, that cannot be used: missing where it
    /// must exist, already there where a new one is made (unless --force), a directory, unreadable or unwritable, open to
    /// group or others where it holds a secret, corrupt or of the wrong kind. A file's problem is one line
    /// <c>error: &lt;path&gt;: &lt;problem&gt;</c>.
    /// </summary>
    public const int Usage = 2;

    /// <summary>
    /// What the command needs cannot be reached or had: the SE (no device, bus fault, timeout, broken link, and for diag
    /// nothing answering at the address), the MQTT broker (connection refused, no answer), the test tool (unreachable, link
    /// broken), or a local resource another holds or that is not there (a TCP port in use, a GPIO line).
    /// </summary>
    public const int NoDevice = 3;

    /// <summary>A bug: an exception nothing expected, printed with its stack trace (sysexits EX_SOFTWARE).</summary>
    public const int InternalError = 70;
}
