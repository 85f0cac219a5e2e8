using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Se05x;

namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>Creates <see cref="Se05xT1Protocol"/> (UM11225 T=1 over I2C) instances that do not own their link.</summary>
    public sealed class Se05xTransportFactory : ISeTransportFactory
    {
        private readonly Se05xT1Options _options;

        /// <summary>Creates the factory.</summary>
        /// <param name="options">Protocol options; null for defaults.</param>
        public Se05xTransportFactory(Se05xT1Options options)
        {
            _options = options ?? new Se05xT1Options();
        }

        /// <inheritdoc />
        public string Name
        {
            get { return "se05x"; }
        }

        /// <inheritdoc />
        public ISeTransport Create(IFrameLink link, IClock clock)
        {
            return new Se05xT1Protocol(link, clock, _options, false);
        }
    }
}
