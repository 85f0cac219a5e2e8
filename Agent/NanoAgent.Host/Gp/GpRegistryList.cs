using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;

namespace NanoAgent.Host.Gp;

/// <summary>Reads the card registry with GET STATUS (GPC v2.3.1 §11.4) in an open session and prints it as a table.</summary>
public static class GpRegistryList
{
    private const ushort MoreData = 0x6310; // §11.4.3: more data available, send GET STATUS [next]

    /// <summary>Reads the ISD, the applications and SDs, and the load files the session's SD may see.</summary>
    /// <param name="session">An open session.</param>
    /// <returns>Rows of kind (ISD, SD, APP, ELF) and entry; null with the failing status word when the card refused.</returns>
    public static (List<(string Kind, GpRegistryEntry Entry)>? Rows, ushort Sw) Read(GpSecureSession session)
    {
        var rows = new List<(string, GpRegistryEntry)>();
        foreach (byte subset in new[] { GpGetStatus.Isd, GpGetStatus.Applications, GpGetStatus.LoadFiles })
        {
            bool next = false;
            while (true)
            {
                byte[] command = new byte[32];
                byte[] response = new byte[70000];
                int n = GpGetStatus.Build(subset, next, [], 0, 0, command, 0);
                int r = session.Send(command, 0, n, response, 0);
                ushort sw = StatusWord.Read(response, 0, r);
                if (sw == StatusWord.ReferencedDataNotFound)
                {
                    break; // nothing of this kind visible
                }

                if (sw != StatusWord.Success && sw != MoreData)
                {
                    return (null, sw);
                }

                var entries = new GpRegistryEntry[64];
                int count = GpStatusParser.Parse(response, 0, r - 2, entries, 0);
                if (count < 0)
                {
                    throw new ApduException(ApduError.InvalidField, "The GET STATUS answer is not a list of 'E3' templates.");
                }

                for (int i = 0; i < count; i++)
                {
                    string kind = subset == GpGetStatus.Isd ? "ISD" : subset == GpGetStatus.LoadFiles ? "ELF" : entries[i].IsSecurityDomain ? "SD" : "APP";
                    rows.Add((kind, entries[i]));
                }

                if (sw != MoreData)
                {
                    break;
                }

                next = true;
            }
        }

        return (rows, StatusWord.Success);
    }

    /// <summary>Prints rows as a table: AID, kind, life cycle, privileges, associated SD.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="rows">The rows.</param>
    public static void Print(TextWriter output, IReadOnlyList<(string Kind, GpRegistryEntry Entry)> rows)
    {
        var lines = new List<string[]> { new[] { "AID", "KIND", "LIFECYCLE", "PRIVILEGES", "ASSOCIATED SD" } };
        foreach (var (kind, e) in rows)
        {
            lines.Add([
                Convert.ToHexString(e.Aid), kind, GpText.LifeCycle(kind, e.LifeCycle),
                e.Privileges.Length == 0 ? "-" : Convert.ToHexString(e.Privileges),
                e.AssociatedSecurityDomain is null ? "-" : Convert.ToHexString(e.AssociatedSecurityDomain),
            ]);
        }

        int[] widths = Enumerable.Range(0, 5).Select(c => lines.Max(l => l[c].Length)).ToArray();
        foreach (string[] line in lines)
        {
            output.WriteLine(string.Join("  ", line.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }
    }
}
