using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>Sends a harmless APDU N times over an opened transport and measures each round trip with the clock.</summary>
    internal sealed class EchoLoop
    {
        /// <summary>Consecutive failures after which the loop gives up (each may cost a whole block waiting time).</summary>
        private const int MaxConsecutiveFailures = 3;

        private readonly IClock _clock;
        private readonly byte[] _command;
        private readonly byte[] _response;

        internal EchoLoop(IClock clock, byte[] command, int responseBufferSize)
        {
            _clock = clock;
            _command = command;
            _response = new byte[responseBufferSize];
        }

        internal int Tried { get; private set; }

        internal int Errors { get; private set; }

        internal int Succeeded
        {
            get { return Tried - Errors; }
        }

        internal long MinMs { get; private set; }

        internal long MaxMs { get; private set; }

        internal long TotalMs { get; private set; }

        /// <summary>Gets the error of the last failure, or 0.</summary>
        internal BlockProtocolError LastError { get; private set; }

        internal void Run(ISeTransport transport, int count)
        {
            Tried = 0;
            Errors = 0;
            MinMs = long.MaxValue;
            MaxMs = 0;
            TotalMs = 0;
            LastError = 0;
            int consecutive = 0;
            for (int i = 0; i < count && consecutive < MaxConsecutiveFailures; i++)
            {
                Tried++;
                long start = _clock.Milliseconds;
                try
                {
                    transport.Transceive(_command, 0, _command.Length, _response, 0);
                }
                catch (BlockProtocolException e)
                {
                    Errors++;
                    consecutive++;
                    LastError = e.Error;
                    continue;
                }

                consecutive = 0;
                long took = _clock.Milliseconds - start;
                TotalMs += took;
                if (took < MinMs)
                {
                    MinMs = took;
                }

                if (took > MaxMs)
                {
                    MaxMs = took;
                }
            }
        }
    }
}
