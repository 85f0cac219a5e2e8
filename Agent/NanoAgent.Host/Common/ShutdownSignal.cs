using System.Runtime.InteropServices;

namespace NanoAgent.Host.Common;

/// <summary>
/// Ends a long-running command gracefully on SIGTERM (what systemd sends), SIGINT (Ctrl+C) or SIGQUIT: the signal is
/// taken over, so the process is not killed, and whoever waits on <see cref="Wait"/> or <see cref="Token"/> wakes up
/// to close its stores and exit 0.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;

    /// <summary>Starts listening for the signals.</summary>
    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal),
        ];
    }

    /// <summary>Gets the token cancelled when a signal arrives.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Gets the name of the signal that arrived (SIGTERM, SIGINT, SIGQUIT), or null.</summary>
    public string? Received { get; private set; }

    /// <summary>Waits for a signal or the timeout.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <returns>True when a signal arrived, false when the time ran out.</returns>
    public bool Wait(TimeSpan timeout) => _stop.Token.WaitHandle.WaitOne(timeout);

    /// <summary>Stops listening; the signals get their default action again.</summary>
    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Received ??= context.Signal.ToString();
        _stop.Cancel();
    }
}
