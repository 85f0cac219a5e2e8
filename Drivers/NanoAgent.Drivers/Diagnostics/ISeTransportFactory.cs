using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>Creates one block protocol over a link, so the diagnostics can open it afresh or try another protocol.</summary>
    public interface ISeTransportFactory
    {
        /// <summary>Gets the protocol's short name for advice, such as "se05x" or "gp".</summary>
        string Name { get; }

        /// <summary>Creates the protocol, not yet opened. It must not own <paramref name="link"/>: the diagnostics dispose the transport only.</summary>
        /// <param name="link">The link to the SE.</param>
        /// <param name="clock">The clock for polling and timing.</param>
        /// <returns>The transport.</returns>
        ISeTransport Create(IFrameLink link, IClock clock);
    }
}
