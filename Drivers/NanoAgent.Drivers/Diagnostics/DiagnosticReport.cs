using System.Collections;

namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>
    /// What the wiring diagnostics found: findings in the order made, plus the measured facts (scan, interface, echo timing).
    /// </summary>
    public sealed class DiagnosticReport
    {
        private static readonly int[] NoAddresses = new int[0];
        private readonly ArrayList _findings = new ArrayList();
        private readonly ArrayList _sweep = new ArrayList();

        /// <summary>Creates an empty report.</summary>
        public DiagnosticReport()
        {
            FoundAddresses = NoAddresses;
            MinRoundTripMs = -1;
            MaxRoundTripMs = -1;
            AverageRoundTripMs = -1;
        }

        /// <summary>Gets the number of findings.</summary>
        public int Count
        {
            get { return _findings.Count; }
        }

        /// <summary>Gets a finding by position.</summary>
        /// <param name="index">Position, 0 to <see cref="Count"/> - 1.</param>
        /// <returns>The finding.</returns>
        public DiagnosticFinding this[int index]
        {
            get { return (DiagnosticFinding)_findings[index]; }
        }

        /// <summary>Gets a value indicating whether no finding is a failure.</summary>
        public bool Passed
        {
            get { return Worst != DiagnosticSeverity.Fail; }
        }

        /// <summary>Gets the worst severity found (<see cref="DiagnosticSeverity.Pass"/> when empty).</summary>
        public DiagnosticSeverity Worst
        {
            get
            {
                DiagnosticSeverity worst = DiagnosticSeverity.Pass;
                for (int i = 0; i < _findings.Count; i++)
                {
                    DiagnosticSeverity s = ((DiagnosticFinding)_findings[i]).Severity;
                    if (s > worst)
                    {
                        worst = s;
                    }
                }

                return worst;
            }
        }

        /// <summary>Gets or sets the addresses that acknowledged a one-byte read in the scan (empty when no scan ran).</summary>
        public int[] FoundAddresses { get; set; }

        /// <summary>Gets or sets whether the scan ran.</summary>
        public bool Scanned { get; set; }

        /// <summary>Gets or sets the name of the protocol that opened, or null.</summary>
        public string ProtocolName { get; set; }

        /// <summary>Gets or sets the ATR (SE05x) or CIP (GP) read, or null.</summary>
        public byte[] InterfaceBytes { get; set; }

        /// <summary>Gets or sets the IFSC in force after opening, or 0.</summary>
        public int Ifsc { get; set; }

        /// <summary>Gets or sets the bus speed in kHz when the bus can tell, else 0.</summary>
        public int SpeedKhz { get; set; }

        /// <summary>Gets or sets how many echo round trips were tried.</summary>
        public int EchoCount { get; set; }

        /// <summary>Gets or sets how many echo round trips failed.</summary>
        public int EchoErrors { get; set; }

        /// <summary>Gets or sets how many retransmission requests and resynchronisations the host sent during the echo loop.</summary>
        public int EchoRetries { get; set; }

        /// <summary>Gets or sets the fastest successful round trip in milliseconds, or -1.</summary>
        public long MinRoundTripMs { get; set; }

        /// <summary>Gets or sets the mean successful round trip in milliseconds, or -1.</summary>
        public long AverageRoundTripMs { get; set; }

        /// <summary>Gets or sets the slowest successful round trip in milliseconds, or -1.</summary>
        public long MaxRoundTripMs { get; set; }

        /// <summary>Gets how many speeds the sweep measured (0 when no sweep ran).</summary>
        public int SweepPointCount
        {
            get { return _sweep.Count; }
        }

        /// <summary>Gets what the sweep measured at one speed, in the order tried.</summary>
        /// <param name="index">Position, 0 to <see cref="SweepPointCount"/> - 1.</param>
        /// <returns>The point.</returns>
        public SweepPoint GetSweepPoint(int index)
        {
            return (SweepPoint)_sweep[index];
        }

        /// <summary>Adds what the sweep measured at one speed.</summary>
        /// <param name="point">The point.</param>
        public void AddSweepPoint(SweepPoint point)
        {
            _sweep.Add(point);
        }

        /// <summary>Adds a finding.</summary>
        /// <param name="finding">The finding.</param>
        public void Add(DiagnosticFinding finding)
        {
            _findings.Add(finding);
        }

        /// <summary>Tells whether some finding has <paramref name="code"/>.</summary>
        /// <param name="code">The code.</param>
        /// <returns>True when found.</returns>
        public bool Has(DiagnosticCode code)
        {
            for (int i = 0; i < _findings.Count; i++)
            {
                if (((DiagnosticFinding)_findings[i]).Code == code)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
