using System.Globalization;
using System.Text;
using NanoAgent.Drivers.Diagnostics;

namespace NanoAgent.Host.Diag;

/// <summary>
/// <c>diag --html report.html</c>: the wiring report a lab files, as one self-contained HTML file (no scripts, fonts,
/// style sheets or images to fetch; the plots are inline SVG). It holds the diagnosis in the same words <c>diag</c>
/// prints, the bus scan, the interface, the echo loop, the round-trip times per bus speed and the frame timeline.
/// Written as polyglot markup: valid HTML5 and well-formed XML.
/// </summary>
public static class DiagHtmlReport
{
    private const string Style = """
        body { font-family: sans-serif; margin: 2em auto; max-width: 70em; color: #222; line-height: 1.4; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; }
        h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
        table { border-collapse: collapse; margin: 0.5em 0; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; }
        .verdict { display: inline-block; font-size: 1.4em; font-weight: bold; padding: 0.2em 0.8em; border-radius: 0.3em; color: #fff; }
        .PASS { background: #2a7d3f; } .FAIL { background: #b3261e; } .WARN { background: #b86e00; } .INFO { background: #3a6ea5; }
        td.sev { color: #fff; font-weight: bold; text-align: center; }
        table.scan td { width: 2.2em; text-align: center; font-family: monospace; padding: 0.15em; }
        table.scan td.found { background: #2a7d3f; color: #fff; font-weight: bold; }
        table.scan td.expected { outline: 2px solid #b3261e; outline-offset: -2px; }
        table.scan td.out { color: #bbb; }
        .mono { font-family: monospace; word-break: break-all; }
        .missing { color: #b3261e; font-weight: bold; }
        .scroll { overflow-x: auto; border: 1px solid #ddd; }
        footer { margin-top: 2em; color: #666; font-size: 0.85em; }
        svg text { font-family: sans-serif; font-size: 11px; fill: #333; }
        svg .grid { stroke: #e3e3e3; }
        svg .range { stroke: #555; stroke-width: 2; }
        .point.clean circle { fill: #2a7d3f; } .point.dirty circle { fill: #e07b00; }
        svg .cross { stroke: #b3261e; stroke-width: 3; }
        svg .marker line { stroke: #3a6ea5; stroke-dasharray: 4 3; }
        svg .marker text { fill: #3a6ea5; }
        .ev-info { fill: #3a6ea5; background: #3a6ea5; } .ev-rr { fill: #9aa5b1; background: #9aa5b1; }
        .ev-s { fill: #7a4fb3; background: #7a4fb3; } .ev-retry { fill: #e07b00; background: #e07b00; }
        .ev-corrupt { fill: #b3261e; background: #b3261e; } .ev-nack { fill: #111; background: #111; }
        .ev-busy { fill: #c8c8c8; background: #c8c8c8; }
        tr.row-retry td, tr.row-corrupt td, tr.row-nack td { font-weight: bold; color: #8a1c15; }
        .swatch { display: inline-block; width: 0.8em; height: 0.8em; vertical-align: middle; }
        """;

    /// <summary>Renders the report.</summary>
    /// <param name="input">What the run found and how it was set up.</param>
    /// <returns>The HTML document.</returns>
    public static string Render(DiagHtmlInput input)
    {
        DiagnosticReport report = input.Report;
        string verdict = report.Passed ? "PASS" : "FAIL";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
            .Append("<title>nanoAgent wiring report: ").Append(verdict).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>nanoAgent wiring report</h1>\n<p>")
            .Append(Html.Text(input.Target)).Append(", ").Append(Html.Text(input.When.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)))
            .Append("</p>\n<p><span id=\"verdict\" class=\"verdict ").Append(verdict).Append("\">").Append(verdict).Append("</span> exit code ")
            .Append(input.ExitCode.ToString(CultureInfo.InvariantCulture)).Append("</p>\n");
        Diagnosis(html, report, input.Notes);
        Scan(html, report, input.Options);
        Interface(html, report);
        html.Append(DiagHtmlPlots.Speeds(report, input.Notes));
        html.Append(DiagHtmlPlots.Timeline(input.Timeline));
        html.Append("<footer>Written by <code>nanoagent diag --html</code>. This file is complete in itself: it loads no scripts, fonts, ")
            .Append("style sheets or images, and its plots are inline SVG.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Diagnosis(StringBuilder html, DiagnosticReport report, IReadOnlyList<string> notes)
    {
        html.Append("<section id=\"diagnosis\">\n<h2>Diagnosis</h2>\n<table>\n<tr><th>result</th><th>check</th><th>what it means</th></tr>\n");
        for (int i = 0; i < report.Count; i++)
        {
            DiagnosticFinding f = report[i];
            string label = DiagText.Label(f.Severity);
            html.Append("<tr class=\"finding\" data-code=\"").Append(f.Code).Append("\"><td class=\"sev ").Append(label).Append("\">").Append(label)
                .Append("</td><td>").Append(Html.Text(f.Check)).Append("</td><td>").Append(Html.Text(f.Message)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        foreach (string note in notes)
        {
            html.Append("<p class=\"note\">Note: ").Append(Html.Text(note)).Append("</p>\n");
        }

        html.Append("</section>\n");
    }

    private static void Scan(StringBuilder html, DiagnosticReport report, WiringDiagnosticsOptions options)
    {
        html.Append("<section id=\"scan\">\n<h2>Bus scan</h2>\n");
        if (!report.Scanned)
        {
            html.Append("<p class=\"missing\">Not scanned: the bus has no addresses to scan (SPI) or the scan did not run.</p>\n</section>\n");
            return;
        }

        var found = new HashSet<int>(report.FoundAddresses);
        html.Append("<p>Addresses that acknowledged a one-byte read (0x").Append(options.ScanFirstAddress.ToString("X2", CultureInfo.InvariantCulture))
            .Append("–0x").Append(options.ScanLastAddress.ToString("X2", CultureInfo.InvariantCulture)).Append("; the SE is expected at 0x")
            .Append(options.ExpectedAddress.ToString("X2", CultureInfo.InvariantCulture)).Append(", outlined): ")
            .Append(found.Count == 0 ? "none" : string.Join(", ", report.FoundAddresses.Select(a => "0x" + a.ToString("X2", CultureInfo.InvariantCulture))))
            .Append(".</p>\n<table class=\"scan\">\n<tr><th></th>");
        for (int col = 0; col < 16; col++)
        {
            html.Append("<th>").Append(col.ToString("x", CultureInfo.InvariantCulture)).Append("</th>");
        }

        html.Append("</tr>\n");
        for (int row = 0; row < 0x80; row += 16)
        {
            html.Append("<tr><th>").Append(row.ToString("x2", CultureInfo.InvariantCulture)).Append("</th>");
            for (int col = 0; col < 16; col++)
            {
                int a = row + col;
                bool scanned = a >= options.ScanFirstAddress && a <= options.ScanLastAddress;
                string cls = (!scanned ? "out" : found.Contains(a) ? "found" : string.Empty) + (a == options.ExpectedAddress ? " expected" : string.Empty);
                html.Append("<td").Append(cls.Trim().Length == 0 ? string.Empty : " class=\"" + cls.Trim() + "\"")
                    .Append(found.Contains(a) ? " data-address=\"0x" + a.ToString("X2", CultureInfo.InvariantCulture) + "\"" : string.Empty).Append('>')
                    .Append(!scanned ? string.Empty : found.Contains(a) ? a.ToString("x2", CultureInfo.InvariantCulture) : "--").Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n</section>\n");
    }

    private static void Interface(StringBuilder html, DiagnosticReport report)
    {
        html.Append("<section id=\"interface\">\n<h2>Interface and echo loop</h2>\n<table>\n");
        Row(html, "protocol", report.ProtocolName ?? "did not open");
        Row(html, "ATR / CIP", report.InterfaceBytes is null ? "not read" : Convert.ToHexString(report.InterfaceBytes), mono: true);
        Row(html, "IFSC", report.Ifsc > 0 ? report.Ifsc + " bytes" : "not known");
        Row(html, "bus speed", report.SpeedKhz > 0 ? report.SpeedKhz + " kHz" : "not known (the bus cannot tell)");
        Row(html, "echo round trips", report.EchoCount == 0 ? "not run" : $"{report.EchoCount} tried, {report.EchoErrors} failed, {report.EchoRetries} retries");
        Row(html, "round trip min / avg / max", report.MinRoundTripMs < 0 ? "not measured" : $"{report.MinRoundTripMs} / {report.AverageRoundTripMs} / {report.MaxRoundTripMs} ms");
        html.Append("</table>\n</section>\n");
    }

    private static void Row(StringBuilder html, string name, string value, bool mono = false) =>
        html.Append("<tr><th>").Append(Html.Text(name)).Append("</th><td").Append(mono ? " class=\"mono\"" : string.Empty).Append('>')
            .Append(Html.Text(value)).Append("</td></tr>\n");
}
