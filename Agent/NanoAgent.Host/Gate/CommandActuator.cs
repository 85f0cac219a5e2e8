using System.Text;
using NanoAgent.Agent.Gating;

namespace NanoAgent.Host.Gate;

/// <summary>
/// An actuator driven by a command (<c>actuator.&lt;id&gt;.command = …</c>, Linux hosts): only after the SE verified the command,
/// the configured command line runs under <c>/bin/sh -c</c> with the command bytes in hex as its one argument (<c>$1</c>; for
/// example <c>relay-ctl 01</c>). Exit 0 applies it, and the first 64 bytes of what it printed (trimmed) are the result; any
/// other exit, or running past the timeout, refuses it.
/// </summary>
public sealed class CommandActuator : IActuator
{
    private readonly string _commandLine;
    private readonly TimeSpan _timeout;
    private readonly Action<string> _log;

    /// <summary>Creates the actuator.</summary>
    /// <param name="commandLine">The shell command line; the hex command is appended as "$1".</param>
    /// <param name="timeout">How long the command may run.</param>
    /// <param name="log">Receives one line per run.</param>
    public CommandActuator(string commandLine, TimeSpan timeout, Action<string> log)
    {
        _commandLine = commandLine;
        _timeout = timeout;
        _log = log;
    }

    /// <inheritdoc />
    public int Apply(byte[] command, int offset, int count, byte[] result, int resultOffset)
    {
        string hex = Convert.ToHexString(command, offset, count);
        // "$1" is passed as an argument, never spliced into the command text.
        HostCommandResult run = HostCommand.Run(["-c", _commandLine + " \"$1\"", "nanoagent", hex], _timeout);
        if (run.Failure is not null)
        {
            _log($"'{_commandLine} {hex}' {run.Failure}: refused");
            return -1;
        }

        byte[] output = Encoding.UTF8.GetBytes(run.Output.Trim());
        int n = Math.Min(output.Length, 64);
        Array.Copy(output, 0, result, resultOffset, n);
        _log($"'{_commandLine} {hex}' applied");
        return n;
    }
}
