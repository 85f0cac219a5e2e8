using System.Text.Json;
using NanoAgent.Drivers.Diagnostics;

namespace NanoAgent.Host.Diag;

/// <summary>The JSON form of a diagnostic report, for scripts and lab records.</summary>
public static class DiagJson
{
    /// <summary>Serialises a report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="notes">Remarks about checks skipped on this platform.</param>
    /// <param name="exitCode">The exit code the command returns.</param>
    /// <returns>Indented JSON.</returns>
    public static string Serialize(DiagnosticReport report, IReadOnlyList<string> notes, int exitCode)
    {
        var doc = new Dictionary<string, object?>
        {
            ["passed"] = report.Passed,
            ["exitCode"] = exitCode,
            ["scanned"] = report.Scanned,
            ["foundAddresses"] = report.FoundAddresses.Select(a => $"0x{a:X2}").ToList(),
            ["protocol"] = report.ProtocolName,
            ["interfaceBytes"] = report.InterfaceBytes is null ? null : Convert.ToHexString(report.InterfaceBytes),
            ["ifsc"] = report.Ifsc,
            ["speedKhz"] = report.SpeedKhz,
            ["echo"] = new Dictionary<string, object>
            {
                ["count"] = report.EchoCount,
                ["errors"] = report.EchoErrors,
                ["retries"] = report.EchoRetries,
                ["minMs"] = report.MinRoundTripMs,
                ["avgMs"] = report.AverageRoundTripMs,
                ["maxMs"] = report.MaxRoundTripMs,
            },
            ["findings"] = Enumerable.Range(0, report.Count).Select(i => new Dictionary<string, string>
            {
                ["check"] = report[i].Check,
                ["severity"] = DiagText.Label(report[i].Severity),
                ["code"] = report[i].Code.ToString(),
                ["message"] = report[i].Message,
            }).ToList(),
            ["notes"] = notes,
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true });
    }
}
