using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Drivers.T1.Se05x;
using nanoFramework.TestFramework;

namespace NanoAgent.Device.OnTarget
{
    /// <summary>The firmware's boot-time wiring checks, run against the real bus and SE of the board in the configuration.</summary>
    [TestClass]
    public class WiringOnTargetTests
    {
        /// <summary>The address scan finds the SE at its configured address (UM11225: 0x48 out of the box).</summary>
        [TestMethod]
        public void Scan_FindsTheSeAtItsAddress()
        {
            DiagnosticReport report = Run();

            bool found = false;
            for (int i = 0; i < report.FoundAddresses.Length; i++)
            {
                found |= report.FoundAddresses[i] == OnTargetBoard.Board.SeI2cAddress;
            }

            Assert.IsTrue(report.Scanned, "the scan did not run");
            Assert.IsTrue(found, "no device acknowledged at the SE's address: check SDA/SCL, pull-ups and power");
        }

        /// <summary>Identify reads an ATR that parses, with a usable IFSC, and the whole report passes.</summary>
        [TestMethod]
        public void Identify_ReadsAnAtrThatParses()
        {
            DiagnosticReport report = Run();

            Assert.IsNotNull(report.InterfaceBytes, "no ATR/CIP: " + FirstFinding(report));
            Assert.IsTrue(report.Ifsc > 0, "IFSC is 0");
            if (OnTargetBoard.Config.Protocol == "se05x")
            {
                // UM11225 §3.1: PVER | VID(5) | DLLP | PLID | PLP | HB.
                Se05xAtr atr = Se05xAtr.Parse(report.InterfaceBytes, 0, report.InterfaceBytes.Length);
                Assert.AreEqual(report.Ifsc, atr.Ifsc);
            }

            Assert.IsTrue(report.Passed, FirstFinding(report));
        }

        private static DiagnosticReport Run()
        {
            WiringDiagnosticsOptions options = new WiringDiagnosticsOptions();
            options.ExpectedAddress = OnTargetBoard.Board.SeI2cAddress;
            WiringDiagnostics diagnostics = new WiringDiagnostics(OnTargetBoard.Link, OnTargetBoard.Protocol(), SystemClock.Instance, options);
            diagnostics.ScanBus = new OnTargetBoard.ScanBus();
            return diagnostics.Run();
        }

        private static string FirstFinding(DiagnosticReport report)
        {
            for (int i = 0; i < report.Count; i++)
            {
                if (report[i].Severity == DiagnosticSeverity.Fail)
                {
                    return report[i].Check + ": " + report[i].Message;
                }
            }

            return "no failure";
        }
    }
}
