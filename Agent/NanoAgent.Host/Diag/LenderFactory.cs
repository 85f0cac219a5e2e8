using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Host.Diag;

/// <summary>Hands the diagnostics the transport of a lent SE (<c>--via</c>) whatever link they pass; the transport stays open across uses.</summary>
/// <param name="transport">The lender's transport, owned by the caller.</param>
public sealed class LenderFactory(ISeTransport transport) : ISeTransportFactory
{
    /// <inheritdoc />
    public string Name => "via";

    /// <inheritdoc />
    public ISeTransport Create(IFrameLink link, IClock clock) => new Undisposed(transport);

    // The diagnostics dispose each transport they create; the lender's link belongs to the connection.
    private sealed class Undisposed(ISeTransport inner) : ISeTransport
    {
        public string ProtocolName => inner.ProtocolName;

        public byte[] InterfaceBytes => inner.InterfaceBytes;

        public int Ifsc => inner.Ifsc;

        public int Ifsd => inner.Ifsd;

        public byte[] Open() => inner.Open();

        public void Resynchronize() => inner.Resynchronize();

        public byte[] SoftReset() => inner.SoftReset();

        public void NegotiateIfsd(int ifsd) => inner.NegotiateIfsd(ifsd);

        public void Close() => inner.Close();

        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset) =>
            inner.Transceive(command, commandOffset, commandCount, response, responseOffset);

        public void Dispose()
        {
        }
    }
}
