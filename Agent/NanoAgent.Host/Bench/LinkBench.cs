using System.Diagnostics;
using NanoAgent.Drivers.T1.Se05x;
using NanoAgent.VirtualSe;

namespace NanoAgent.Host.Bench;

/// <summary>
/// Measures APDU round trips over each block protocol against a <see cref="NullProcessor"/>: frame bytes against the
/// protocol's minimum, implied bus time, and the host stack's allocations in steady state.
/// </summary>
public static class LinkBench
{
    /// <summary>The APDU sizes measured by default.</summary>
    public static readonly int[] DefaultSizes = [5, 64, 261, 1024, 4096];

    /// <summary>The protocols measured.</summary>
    public static readonly VirtualSeProtocol[] Protocols = [VirtualSeProtocol.Se05xI2c, VirtualSeProtocol.GpI2c, VirtualSeProtocol.GpSpi];

    /// <summary>Measures one protocol and size.</summary>
    /// <param name="protocol">Protocol and bus.</param>
    /// <param name="apduBytes">Command APDU length (4 to 65542).</param>
    /// <param name="roundTrips">Round trips measured after as many warm-up ones.</param>
    /// <returns>The figures per round trip.</returns>
    public static LinkFigures Measure(VirtualSeProtocol protocol, int apduBytes, int roundTrips)
    {
        using var stack = new BenchStack(protocol, new NullProcessor());
        byte[] command = Command(apduBytes);
        byte[] response = new byte[16];
        for (int i = 0; i < roundTrips; i++)
        {
            stack.Transport.Transceive(command, 0, command.Length, response, 0);
        }

        stack.ResetCounters();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < roundTrips; i++)
        {
            stack.Transport.Transceive(command, 0, command.Length, response, 0);
        }

        double micros = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        MeteredLink link = stack.Link;
        double n = roundTrips;
        long transactions = link.Writes + link.Reads + link.Refused;
        double clocks = protocol == VirtualSeProtocol.GpSpi
            ? 8.0 * link.DataBytes // SPI: 8 clocks a byte, no address phase.
            : 9.0 * (transactions + link.DataBytes); // I2C: 8 bits + ACK a byte, one address byte per transaction.
        return new LinkFigures(
            protocol,
            apduBytes,
            (stack.HostFrameBytes + stack.SeFrameBytes) / n,
            Minimum(apduBytes, stack.Transport.Ifsc, stack.FrameOverhead),
            link.Refused / n,
            transactions / n,
            link.DataBytes / n,
            clocks / n / 0.4,
            clocks / n / 1.0,
            (allocated - link.InnerAllocated) / n,
            link.InnerAllocated / n,
            micros / n);
    }

    /// <summary>The protocol's minimum bytes for one round trip of a command with a status-word-only answer.</summary>
    /// <param name="apduBytes">Command length.</param>
    /// <param name="ifsc">The SE's information field size.</param>
    /// <param name="overhead">Prologue and epilogue bytes of one frame.</param>
    /// <returns>Bytes.</returns>
    public static int Minimum(int apduBytes, int ifsc, int overhead)
    {
        // ISO/IEC 7816-3 §11.6.2.3 (chaining): each I-block but the last is acknowledged by an R-block; the answer is one I-block.
        int blocks = (apduBytes + ifsc - 1) / ifsc;
        return apduBytes + (blocks * overhead) + ((blocks - 1) * overhead) + 2 + overhead;
    }

    /// <summary>A command APDU of exactly the given length: case 1, case 2 short, case 3 short or case 3 extended (ISO/IEC 7816-4 §5.1).</summary>
    /// <param name="length">Total length, at least 4.</param>
    /// <returns>The command.</returns>
    public static byte[] Command(int length)
    {
        byte[] c = new byte[length];
        c[0] = 0x80;
        c[1] = 0xE2;
        if (length == 5)
        {
            c[4] = 0x00;
        }
        else if (length > 5 && length <= 260)
        {
            c[4] = (byte)(length - 5);
        }
        else if (length > 260)
        {
            int nc = length - 7;
            c[5] = (byte)(nc >> 8);
            c[6] = (byte)nc;
        }

        for (int i = 7; i < length; i++)
        {
            c[i] = (byte)i;
        }

        return c;
    }
}
