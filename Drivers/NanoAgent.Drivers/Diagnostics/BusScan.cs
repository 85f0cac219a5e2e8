using System.Collections;
using NanoAgent.Drivers.Bus;

namespace NanoAgent.Drivers.Diagnostics
{
    /// <summary>
    /// Probes every address of an I2C bus with a one-byte read, like <c>i2cdetect -r</c>. A read is the safe probe (a
    /// write could change another device's registers), but an idle SE05x refuses reads while it has nothing to send, so a
    /// missing SE in the list proves nothing on its own: the protocol check at the expected address decides.
    /// </summary>
    internal static class BusScan
    {
        /// <summary>Scans and records the result in <paramref name="report"/>.</summary>
        internal static void Run(II2cBusFactory factory, WiringDiagnosticsOptions options, byte[] scratch, DiagnosticReport report)
        {
            var found = new ArrayList();
            int probed = 0;
            int faults = 0;
            for (int address = options.ScanFirstAddress; address <= options.ScanLastAddress; address++)
            {
                II2cBus bus = factory.Open(address);
                if (bus == null)
                {
                    continue;
                }

                BusTransferStatus status;
                try
                {
                    status = bus.Read(scratch, 0, 1).Status;
                }
                finally
                {
                    bus.Dispose();
                }

                probed++;
                if (status == BusTransferStatus.FullTransfer || status == BusTransferStatus.PartialTransfer)
                {
                    found.Add(address);
                }
                else if (status != BusTransferStatus.AddressNotAcknowledged)
                {
                    faults++;
                }
            }

            int[] addresses = new int[found.Count];
            for (int i = 0; i < addresses.Length; i++)
            {
                addresses[i] = (int)found[i];
            }

            report.FoundAddresses = addresses;
            report.Scanned = true;
            if (probed > 0 && faults == probed)
            {
                // A controller that times out at every address sees SDA or SCL held low. Clearing it takes nine SCL pulses
                // (I2C-bus specification UM10204 §3.1.16); Linux i2c-dev offers no call for that, the kernel's bus recovery
                // does it on controllers that support it, so the advice is a power cycle rather than fake code.
                report.Add(new DiagnosticFinding("scan", DiagnosticCode.BusStuck, DiagnosticSeverity.Fail,
                    "the bus reports errors at every address: SDA or SCL is held low (short, missing pull-ups, or a device stuck mid-byte); power-cycle the SE and check the wiring"));
                return;
            }

            report.Add(new DiagnosticFinding("scan", DiagnosticCode.ScanResult, DiagnosticSeverity.Info,
                addresses.Length == 0
                    ? "no address acknowledges a one-byte read (an idle SE05x refuses reads, so this alone proves nothing)"
                    : "addresses that acknowledge a one-byte read: " + AddressList(addresses)));
        }

        /// <summary>Formats addresses as "0x48, 0x49".</summary>
        internal static string AddressList(int[] addresses)
        {
            string text = string.Empty;
            for (int i = 0; i < addresses.Length; i++)
            {
                text += (i == 0 ? "0x" : ", 0x") + addresses[i].ToString("X2");
            }

            return text;
        }
    }
}
