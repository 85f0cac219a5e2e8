using NanoAgent.Drivers.Apdu;
using NanoAgent.VirtualSe.Se05x;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>An <see cref="IApduTransport"/> straight into a virtual SE05x's APDU processor (no bus), for host-side clients.</summary>
internal sealed class Se05xCardTransport(Func<Se05xCard> card) : IApduTransport
{
    public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset) =>
        card().Process(command.AsSpan(commandOffset, commandCount), response.AsSpan(responseOffset));
}
