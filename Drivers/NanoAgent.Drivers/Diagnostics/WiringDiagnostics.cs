using System;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>
    /// Checks the wiring to a secure element and says what is wrong in plain words: bus scan, identify (open the protocol,
    /// read ATR/CIP and IFSC), soft reset and resynchronisation, an APDU echo loop with round-trip times, and an optional
    /// bus-speed sweep. Portable: the firmware runs the same checks at boot. Every outcome is a finding, never an exception.
    /// </summary>
    public sealed class WiringDiagnostics
    {
        private readonly LinkCounter _link;
        private readonly ISeTransportFactory _protocol;
        private readonly IClock _clock;
        private readonly WiringDiagnosticsOptions _options;
        private readonly EchoLoop _echo;
        private readonly byte[] _scratch = new byte[1];
        private bool _corrupt;

        /// <summary>Creates the diagnostics for the SE behind <paramref name="link"/>.</summary>
        /// <param name="link">The link to the SE at the expected address (or chip select).</param>
        /// <param name="protocol">The block protocol the SE is configured to speak.</param>
        /// <param name="clock">The clock for polling and round-trip times.</param>
        /// <param name="options">What to run; null for defaults.</param>
        /// <exception cref="ArgumentNullException"><paramref name="link"/>, <paramref name="protocol"/> or <paramref name="clock"/> is null.</exception>
        public WiringDiagnostics(IFrameLink link, ISeTransportFactory protocol, IClock clock, WiringDiagnosticsOptions options)
        {
            if (link == null || protocol == null || clock == null)
            {
                throw new ArgumentNullException(link == null ? "link" : protocol == null ? "protocol" : "clock");
            }

            _link = new LinkCounter(link);
            _protocol = protocol;
            _clock = clock;
            _options = options ?? new WiringDiagnosticsOptions();
            _echo = new EchoLoop(clock, _options.EchoCommand, _options.ResponseBufferSize);
        }

        /// <summary>Gets or sets the factory that opens every address of the I2C bus for the scan; null skips the scan (SPI).</summary>
        public II2cBusFactory ScanBus { get; set; }

        /// <summary>Gets or sets the bus's speed control for the sweep; null when the bus cannot change speed.</summary>
        public IBusSpeedControl SpeedControl { get; set; }

        /// <summary>Gets or sets the other protocols to try when the configured one gets no sensible answer; null tries none.</summary>
        public ISeTransportFactory[] AlternativeProtocols { get; set; }

        /// <summary>Runs every check.</summary>
        /// <returns>The report.</returns>
        public DiagnosticReport Run()
        {
            var report = new DiagnosticReport();
            if (SpeedControl != null)
            {
                report.SpeedKhz = SpeedControl.SpeedKhz;
            }

            if (ScanBus != null)
            {
                BusScan.Run(ScanBus, _options, _scratch, report);
            }

            _link.Clear();
            _corrupt = false;
            ISeTransport transport = _protocol.Create(_link, _clock);
            try
            {
                if (!Identify(transport, report))
                {
                    if (_corrupt && _options.Sweep && SpeedControl != null)
                    {
                        SpeedSweep.Run(SpeedControl, _link, _protocol, _clock, _echo, _options, report);
                    }

                    return report;
                }

                if (!ResetAndResync(transport, report))
                {
                    return report;
                }

                Echo(transport, report);
                try
                {
                    transport.Close();
                }
                catch (BlockProtocolException)
                {
                    // The echo verdict already says what matters; a failed goodbye adds nothing.
                }
            }
            finally
            {
                transport.Dispose();
            }

            if (_options.Sweep && SpeedControl != null)
            {
                SpeedSweep.Run(SpeedControl, _link, _protocol, _clock, _echo, _options, report);
            }

            return report;
        }

        private bool Identify(ISeTransport transport, DiagnosticReport report)
        {
            byte[] atr;
            try
            {
                atr = transport.Open();
            }
            catch (BlockProtocolException e)
            {
                ExplainOpenFailure(e, report);
                return false;
            }

            report.ProtocolName = transport.ProtocolName;
            report.InterfaceBytes = atr;
            report.Ifsc = transport.Ifsc;
            report.Add(new DiagnosticFinding("identify", DiagnosticCode.Passed, DiagnosticSeverity.Pass,
                "the SE on " + _link.Description + " answers " + transport.ProtocolName + " with a valid ATR/CIP (" + atr.Length + " bytes), IFSC " + transport.Ifsc));
            return true;
        }

        private bool ResetAndResync(ISeTransport transport, DiagnosticReport report)
        {
            try
            {
                transport.SoftReset();
                transport.Resynchronize();
            }
            catch (BlockProtocolException e)
            {
                report.Add(new DiagnosticFinding("reset", DiagnosticCode.LinkFailure, DiagnosticSeverity.Fail,
                    "the SE opened but failed a soft reset or resynchronisation (" + e.Message + "): reset it and check the supply"));
                return false;
            }

            report.Add(new DiagnosticFinding("reset", DiagnosticCode.Passed, DiagnosticSeverity.Pass, "soft reset and resynchronisation answered"));
            return true;
        }

        private void Echo(ISeTransport transport, DiagnosticReport report)
        {
            int retriesBefore = _link.Retries;
            _echo.Run(transport, _options.EchoCount);
            report.EchoCount = _echo.Tried;
            report.EchoErrors = _echo.Errors;
            report.EchoRetries = _link.Retries - retriesBefore;
            if (_echo.Succeeded > 0)
            {
                report.MinRoundTripMs = _echo.MinMs;
                report.MaxRoundTripMs = _echo.MaxMs;
                report.AverageRoundTripMs = _echo.TotalMs / _echo.Succeeded;
            }

            string times = _echo.Succeeded > 0
                ? ", round trip min/avg/max " + report.MinRoundTripMs + "/" + report.AverageRoundTripMs + "/" + report.MaxRoundTripMs + " ms"
                : string.Empty;
            if (_echo.Succeeded == 0 && _echo.Tried > 0)
            {
                report.Add(new DiagnosticFinding("echo", DiagnosticCode.ResetUnderLoad, DiagnosticSeverity.Fail,
                    "the SE answers link control but resets or goes silent on every APDU: brown-out under load or a glitching reset line; check the supply (current, decoupling) and the ENA/RST pin"));
            }
            else if (_echo.Errors > 0)
            {
                report.Add(new DiagnosticFinding("echo", DiagnosticCode.EchoErrors, DiagnosticSeverity.Fail,
                    _echo.Errors + " of " + _echo.Tried + " APDU round trips failed (" + report.EchoRetries + " retries)" + times + ": intermittent link; check wiring, pull-ups and supply"));
            }
            else if (report.EchoRetries > 0)
            {
                report.Add(new DiagnosticFinding("echo", DiagnosticCode.EchoErrors, DiagnosticSeverity.Warning,
                    _echo.Tried + " APDU round trips succeeded but needed " + report.EchoRetries + " retries" + times + ": marginal signal; try a lower bus speed" + LowerSpeedAdvice()));
            }
            else
            {
                report.Add(new DiagnosticFinding("echo", DiagnosticCode.Passed, DiagnosticSeverity.Pass,
                    _echo.Tried + " APDU round trips, no errors, no retries" + times));
            }
        }

        private void ExplainOpenFailure(BlockProtocolException e, DiagnosticReport report)
        {
            string at = "0x" + _options.ExpectedAddress.ToString("X2");
            // A protocol may report NoDevice after reads that were never acknowledged; the device is there if it took a write.
            BlockProtocolError error = e.Error == BlockProtocolError.NoDevice && _link.WritesAcknowledged > 0 ? BlockProtocolError.Timeout : e.Error;
            switch (error)
            {
                case BlockProtocolError.NoDevice:
                    if (report.FoundAddresses.Length > 0)
                    {
                        report.Add(new DiagnosticFinding("identify", DiagnosticCode.WrongAddress, DiagnosticSeverity.Fail,
                            "device at " + BusScan.AddressList(report.FoundAddresses) + ", not " + at + ": wrong address? configure the address the SE answers on, or check its address pins"));
                    }
                    else
                    {
                        report.Add(new DiagnosticFinding("identify", DiagnosticCode.NoAck, DiagnosticSeverity.Fail,
                            "no ACK at " + at + ": check SDA/SCL wiring, pull-ups and power (the SE never acknowledged a write on " + _link.Description + ")"));
                    }

                    return;

                case BlockProtocolError.RetriesExhausted:
                case BlockProtocolError.BusFault:
                    _corrupt = true;
                    if (_options.Sweep && SpeedControl != null)
                    {
                        // The sweep that follows says at which speeds the frames are clean.
                        return;
                    }

                    report.Add(new DiagnosticFinding("identify", DiagnosticCode.CrcErrors, DiagnosticSeverity.Fail,
                        "frames from the SE arrive corrupt" + SpeedText() + ": signal integrity (wire length, pull-ups); lower the bus speed" + LowerSpeedAdvice() + " or run the speed sweep"));
                    return;

                case BlockProtocolError.DeviceReset:
                    report.Add(new DiagnosticFinding("identify", DiagnosticCode.ResetUnderLoad, DiagnosticSeverity.Fail,
                        "the SE reset itself while opening: brown-out or a glitching reset line; check the supply and the ENA/RST pin"));
                    return;
            }

            if (TryAlternatives(report))
            {
                return;
            }

            if (_link.ReadsAcknowledged == 0 || _link.AnswersFillerWhenBusy)
            {
                report.Add(new DiagnosticFinding("identify", DiagnosticCode.StuckNack, DiagnosticSeverity.Fail,
                    "the SE NACKs forever: held in reset or busy — check the ENA/RST pin"));
                return;
            }

            report.Add(new DiagnosticFinding("identify", DiagnosticCode.UnknownAnswer, DiagnosticSeverity.Fail,
                "the ATR/answer does not parse as " + _protocol.Name + " and no other protocol fits (" + e.Message + "): not a supported SE, or a wrong device at " + at));
        }

        private bool TryAlternatives(DiagnosticReport report)
        {
            if (AlternativeProtocols == null)
            {
                return false;
            }

            for (int i = 0; i < AlternativeProtocols.Length; i++)
            {
                ISeTransportFactory other = AlternativeProtocols[i];
                ISeTransport transport = other.Create(_link, _clock);
                try
                {
                    transport.Open();
                    report.Add(new DiagnosticFinding("identify", DiagnosticCode.WrongProtocol, DiagnosticSeverity.Fail,
                        "the ATR does not parse as " + _protocol.Name + " but the SE answers " + transport.ProtocolName + ": wrong protocol? try --protocol " + other.Name));
                    return true;
                }
                catch (BlockProtocolException)
                {
                }
                finally
                {
                    transport.Dispose();
                }
            }

            return false;
        }

        /// <summary>Says in brackets how to set a speed the advice names, or nothing without <see cref="WiringDiagnosticsOptions.SpeedAdvice"/>.</summary>
        /// <param name="options">The options holding the advice.</param>
        /// <param name="khz">The speed in kHz.</param>
        /// <returns>Such as " (--speed 100)", or an empty string.</returns>
        internal static string HowToSet(WiringDiagnosticsOptions options, int khz)
        {
            return options.SpeedAdvice == null ? string.Empty : " (" + options.SpeedAdvice.HowToSet(khz) + ")";
        }

        /// <summary>The next sweep speed below the one in force, or the lowest sweep speed when the bus cannot tell.</summary>
        private string LowerSpeedAdvice()
        {
            int[] speeds = _options.SweepSpeedsKhz;
            if (speeds == null || speeds.Length == 0)
            {
                return string.Empty;
            }

            int lower = speeds[0];
            int current = SpeedControl == null ? 0 : SpeedControl.SpeedKhz;
            for (int i = 0; i < speeds.Length; i++)
            {
                if (speeds[i] < current && speeds[i] > lower)
                {
                    lower = speeds[i];
                }
            }

            return HowToSet(_options, lower);
        }

        private string SpeedText()
        {
            return SpeedControl == null ? string.Empty : " at " + SpeedControl.SpeedKhz + " kHz";
        }
    }
}
