using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Host.Agent;

/// <summary>
/// Lets the relay worker and the gating code (readings, actuator commands) share one SE link: one APDU exchange at a time.
/// </summary>
public sealed class SerializedApduTransport : IApduTransport
{
    private readonly IApduTransport _inner;
    private readonly object _gate = new();

    /// <summary>Wraps a transport.</summary>
    /// <param name="inner">The SE link.</param>
    public SerializedApduTransport(IApduTransport inner) => _inner = inner;

    /// <inheritdoc />
    public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
    {
        lock (_gate)
        {
            return _inner.Transceive(command, commandOffset, commandCount, response, responseOffset);
        }
    }
}
