using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;

namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>Creates <see cref="GpT1Protocol"/> (GPC_SPE_172 T=1') instances; they never own their link.</summary>
    public sealed class GpTransportFactory : ISeTransportFactory
    {
        private readonly GpT1Options _options;

        /// <summary>Creates the factory.</summary>
        /// <param name="options">Protocol options; null for defaults.</param>
        public GpTransportFactory(GpT1Options options)
        {
            _options = options ?? new GpT1Options();
        }

        /// <inheritdoc />
        public string Name
        {
            get { return "gp"; }
        }

        /// <inheritdoc />
        public ISeTransport Create(IFrameLink link, IClock clock)
        {
            return new GpT1Protocol(link, clock, _options);
        }
    }
}
