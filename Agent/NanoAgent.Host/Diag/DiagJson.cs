using NanoAgent.Drivers.Diagnostics;

namespace NanoAgent.Host.Diag;

/// <summary>The JSON form of a diagnostic report (the <c>data</c> of <c>diag --json</c>, docs/json.md), for scripts and lab records.</summary>
public static class DiagJson
{
    /// <summary>Gives a report's data for the JSON envelope.</summary>
    /// <param name="report">The report.</param>
    /// <param name="notes">Remarks about checks skipped on this platform.</param>
    /// <returns>The data: camelCase names, severities and codes as camelCase strings.</returns>
    public static object Data(DiagnosticReport report, IReadOnlyList<string> notes)
    {
        return new Dictionary<string, object?>
        {
            ["passed"] = report.Passed,
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
            ["findings"] = Enumerable.Range(0, report.Count).Select(i => new Dictionary<string, object>
            {
                ["check"] = report[i].Check,
                ["severity"] = report[i].Severity,
                ["code"] = report[i].Code,
                ["message"] = report[i].Message,
            }).ToList(),
            ["notes"] = notes,
        };
    }
}
