using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>
    /// Opens the protocol and runs a short echo at each speed, then says where frames are clean and where not.
    /// Errors that appear only at the higher speeds point at signal integrity (wire length, pull-ups, capacitance).
    /// </summary>
    internal static class SpeedSweep
    {
        internal static void Run(IBusSpeedControl speed, LinkCounter link, ISeTransportFactory protocol, IClock clock, EchoLoop echo, WiringDiagnosticsOptions options, DiagnosticReport report)
        {
            int original = speed.SpeedKhz;
            string good = string.Empty;
            string bad = string.Empty;
            int fastestGood = 0;
            bool originalBad = false;
            int[] speeds = options.SweepSpeedsKhz;
            for (int i = 0; i < speeds.Length; i++)
            {
                if (!speed.TrySetSpeed(speeds[i]))
                {
                    continue;
                }

                SweepPoint point = Measure(speeds[i], link, protocol, clock, echo, options.SweepEchoCount);
                report.AddSweepPoint(point);
                if (point.Clean)
                {
                    good += (good.Length == 0 ? string.Empty : ", ") + speeds[i];
                    if (speeds[i] > fastestGood)
                    {
                        fastestGood = speeds[i];
                    }
                }
                else
                {
                    bad += (bad.Length == 0 ? string.Empty : ", ") + speeds[i];
                    originalBad |= speeds[i] == original;
                }
            }

            speed.TrySetSpeed(original);
            if (good.Length == 0 && bad.Length == 0)
            {
                report.Add(new DiagnosticFinding("sweep", DiagnosticCode.Passed, DiagnosticSeverity.Info, "the bus accepted none of the sweep speeds"));
            }
            else if (bad.Length == 0)
            {
                report.Add(new DiagnosticFinding("sweep", DiagnosticCode.Passed, DiagnosticSeverity.Pass, "frames are clean at " + good + " kHz"));
            }
            else if (good.Length == 0)
            {
                report.Add(new DiagnosticFinding("sweep", DiagnosticCode.CrcErrors, DiagnosticSeverity.Fail,
                    "frames fail at every speed tried (" + bad + " kHz): not a speed problem; check wiring, pull-ups and supply"));
            }
            else
            {
                report.Add(new DiagnosticFinding("sweep", DiagnosticCode.SpeedDependentErrors, originalBad ? DiagnosticSeverity.Fail : DiagnosticSeverity.Warning,
                    "CRC errors at " + bad + " kHz but not at " + good + " kHz: signal integrity (wire length, pull-ups); run the bus at " + fastestGood + " kHz" + WiringDiagnostics.HowToSet(options, fastestGood)));
            }
        }

        private static SweepPoint Measure(int khz, LinkCounter link, ISeTransportFactory protocol, IClock clock, EchoLoop echo, int count)
        {
            SweepPoint point = new SweepPoint(khz);
            int retries = -1;
            ISeTransport transport = protocol.Create(link, clock);
            try
            {
                transport.Open();
                point.Opened = true;

                // Counted from here: opening may send S(RESYNCH) as part of its normal activation sequence.
                retries = link.Retries;
                echo.Run(transport, count);
                point.Tried = echo.Tried;
                point.Errors = echo.Errors;
                if (echo.Succeeded > 0)
                {
                    point.MinRoundTripMs = echo.MinMs;
                    point.MaxRoundTripMs = echo.MaxMs;
                    point.AverageRoundTripMs = echo.TotalMs / echo.Succeeded;
                }
            }
            catch (BlockProtocolException)
            {
                // Opened stays false: the protocol could not start at this speed.
            }
            finally
            {
                point.Retries = retries < 0 ? 0 : link.Retries - retries;
                transport.Dispose();
            }

            return point;
        }
    }
}
