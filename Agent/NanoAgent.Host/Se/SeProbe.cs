using System.Text;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Se05x;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Gp;
using NanoAgent.Drivers.T1.Se05x;
using NanoAgent.Drivers.Tlv;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Se;

/// <summary>
/// Finds the SE on its bus and reads who it is: activates the block protocol (ATR or CIP), selects the issuer
/// security domain, and reads CPLC and card data.
/// </summary>
public static class SeProbe
{
    private static readonly byte[] SelectIsd = Convert.FromHexString("00A4040000");
    private static readonly byte[] GetCplc = Convert.FromHexString("80CA9F7F00");
    private static readonly byte[] GetCardData = Convert.FromHexString("80CA006600");

    // ISO/IEC 7816-4 SELECT by AID of NXP's SE05x IoT applet (se05x-facts.md §1).
    private static readonly byte[] SelectIotApplet = Convert.FromHexString("00A4040010A000000396545300000001030000000000");

    /// <summary>Runs the probe on an opened-or-not connection.</summary>
    /// <param name="connection">The connection (the protocol is opened here).</param>
    /// <returns>The report.</returns>
    public static ProbeReport Run(SeConnection connection)
    {
        var report = new ProbeReport();
        report.Add("bus", connection.BusDescription);
        report.Add("protocol", connection.Transport.ProtocolName);
        try
        {
            byte[] atr = connection.Transport.Open();
            report.Add(connection.Transport is GpT1Protocol ? "CIP" : "ATR", Convert.ToHexString(atr));
            DescribeInterface(connection.Transport, report);

            byte[] fci = connection.Send(SelectIsd);
            ushort sw = StatusWord.Read(fci, 0, fci.Length);
            if (sw != StatusWord.Success)
            {
                report.Problems.Add($"SELECT of the issuer security domain failed: {StatusWordText.Describe(sw)}");
            }
            else
            {
                report.Add("selected", AidFromFci(fci) ?? "(no AID in the FCI)");
            }

            byte[] cplc = connection.Send(GetCplc);
            if (StatusWord.Read(cplc, 0, cplc.Length) == StatusWord.Success && cplc.Length == 3 + 2 + CplcText.Length)
            {
                foreach (var field in CplcText.Describe(cplc.AsSpan(3, CplcText.Length)))
                {
                    report.Add("CPLC " + field.Key, field.Value);
                }
            }
            else
            {
                report.Add("CPLC", "not available (" + StatusWordText.Describe(StatusWord.Read(cplc, 0, cplc.Length)) + ")");
            }

            byte[] cardData = connection.Send(GetCardData);
            if (StatusWord.Read(cardData, 0, cardData.Length) == StatusWord.Success)
            {
                report.Add("card data", Convert.ToHexString(cardData, 0, cardData.Length - 2));
            }

            DescribeIotApplet(connection, report);

            connection.Transport.Close();
            report.ExitCode = report.Passed ? ExitCodes.Ok : ExitCodes.Failed;
        }
        catch (BlockProtocolException e)
        {
            report.Problems.Add(Explain(e, connection.BusDescription));
            report.ExitCode = ExitCodes.NoDevice;
        }
        catch (ApduException e)
        {
            report.Problems.Add("the SE answered a malformed APDU: " + e.Message);
            report.ExitCode = ExitCodes.Failed;
        }

        return report;
    }

    /// <summary>Turns a block-protocol failure into advice a lab technician can act on.</summary>
    /// <param name="e">The failure.</param>
    /// <param name="bus">The bus description.</param>
    /// <returns>A sentence.</returns>
    public static string Explain(BlockProtocolException e, string bus) => e.Error switch
    {
        BlockProtocolError.NoDevice => $"no answer on {bus}: the SE never acknowledged its address. Check power, the enable pin, SDA/SCL wiring, pull-ups and the address.",
        BlockProtocolError.Timeout => $"the SE on {bus} acknowledged but never sent a block in time: check the protocol (--protocol) and reset the SE.",
        BlockProtocolError.RetriesExhausted => $"blocks from the SE on {bus} kept arriving corrupt: check signal integrity (wire length, pull-ups, bus speed).",
        BlockProtocolError.InvalidInterfaceParameters => $"the SE on {bus} sent an ATR/CIP that does not parse: wrong protocol (--protocol) or not an SE05x/GP SE. {e.Message}",
        _ => $"link to the SE on {bus} failed: {e.Message}",
    };

    // An SE05x answers SELECT of its IoT applet with version, AppletConfig and secure box (Se05xAppletVersion); a GP SE
    // without it answers 6A82, which is no problem.
    private static void DescribeIotApplet(SeConnection connection, ProbeReport report)
    {
        byte[] answer = connection.Send(SelectIotApplet);
        if (StatusWord.Read(answer, 0, answer.Length) != StatusWord.Success
            || !Se05xAppletVersion.TryParse(answer, 0, answer.Length - 2, out Se05xAppletVersion version))
        {
            return;
        }

        report.Add("SE05x applet", $"{version.Major}.{version.Minor}.{version.Patch} ({(version.Major >= 7 ? "SE051" : "SE050")}, {version.MaxPayload}-byte payloads)");
        report.Add("AppletConfig", $"{version.Config:X4} ({AppletFeatures(version.Config)})");
        if (version.SecureBoxVersion != 0)
        {
            report.Add("secure box", version.SecureBoxVersion.ToString("X4"));
        }
    }

    // se05x_enums.h SE05x_AppletConfig_t.
    private static string AppletFeatures(int config)
    {
        var features = new List<string>();
        (int Bit, string Name)[] names =
        [
            (0x0002, "ECDSA/ECDH"), (0x0004, "EdDSA"), (0x0008, "DH Mont"), (0x0010, "HMAC"), (0x0020, "RSA plain"), (0x0040, "RSA CRT"),
            (0x0080, "AES"), (0x0100, "DES"), (0x0200, "PBKDF"), (0x0400, "TLS"), (0x0800, "MIFARE"), (0x2000, "I2C controller"),
        ];
        foreach ((int bit, string name) in names)
        {
            if ((config & bit) != 0)
            {
                features.Add(name);
            }
        }

        return features.Count == 0 ? "none" : string.Join(", ", features);
    }

    private static void DescribeInterface(ISeTransport transport, ProbeReport report)
    {
        if (transport is Se05xT1Protocol se05x && se05x.Atr is { } atr)
        {
            report.Add("vendor", Convert.ToHexString(atr.VendorId));
            report.Add("IFSC", atr.Ifsc.ToString());
            report.Add("BWT", atr.BwtMilliseconds + " ms");
            report.Add("max clock", atr.MaxClockKhz + " kHz");
            report.Add("historical bytes", Printable(atr.HistoricalBytes));
        }
        else if (transport is GpT1Protocol gp && gp.Cip is { } cip)
        {
            report.Add("physical layer", cip.PhysicalLayer == GpPhysicalLayer.Spi ? "SPI" : "I2C");
            report.Add("IIN", Convert.ToHexString(cip.Iin));
            report.Add("IFSC", cip.Ifsc.ToString());
            report.Add("BWT", cip.BwtMs + " ms");
            report.Add("max clock", cip.MaxClockKhz + " kHz");
            report.Add("historical bytes", Printable(cip.HistoricalBytes));
        }
    }

    private static string? AidFromFci(byte[] fci)
    {
        try
        {
            var reader = new BerTlvReader(fci, 0, fci.Length - 2);
            if (reader.Find(0x6F))
            {
                BerTlvReader inner = reader.OpenValue();
                if (inner.Find(0x84))
                {
                    return Convert.ToHexString(fci, inner.ValueOffset, inner.ValueLength);
                }
            }
        }
        catch (TlvException)
        {
        }

        return null;
    }

    private static string Printable(byte[] bytes)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }

        return $"\"{text}\" ({Convert.ToHexString(bytes)})";
    }
}
