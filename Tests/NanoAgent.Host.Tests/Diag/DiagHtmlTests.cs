using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Host.Common;
using NanoAgent.Host.Diag;
using NanoAgent.Host.Se;
using NanoAgent.Host.Tests.Wireshark;

namespace NanoAgent.Host.Tests.Diag;

/// <summary>
/// <c>diag --html</c>: a valid, self-contained HTML file (strict HTML5 parse with AngleSharp, strict XML parse), rendered
/// by the real headless Chromium, whose plot shows the figures the run measured and whose timeline marks the retries,
/// corrupt frames and NACKs of the run.
/// </summary>
public sealed class DiagHtmlTests
{
    [Fact]
    public void Html_CrcFault_IsValidSelfContainedHtmlWithTheSameDiagnosis()
    {
        using var dir = new TempDir();
        string html = dir.File("report.html");
        CliRun run = CliRun.Of("diag", "--state", dir.File("se.json"), "--fault", "crc", "--html", html);
        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("Report: " + html, run.Output);
        string text = File.ReadAllText(html);

        XDocument xml = XDocument.Parse(text);                                         // polyglot: well-formed XML
        var document = new HtmlParser(new HtmlParserOptions { IsStrictMode = true }).ParseDocument(text); // throws on any HTML5 parse error
        Assert.Equal("html", document.DocumentElement.LocalName);
        Assert.Equal("utf-8", document.CharacterSet.ToLowerInvariant());
        Assert.Equal("nanoAgent wiring report: FAIL", document.Title);

        // Self-contained: nothing to fetch, nothing to run.
        Assert.Empty(document.QuerySelectorAll("script, link, img, iframe, object, embed, audio, video, source"));
        Assert.DoesNotContain(xml.Descendants().Attributes(), a => a.Name.LocalName is "src" or "href" or "srcset" or "action");
        Assert.DoesNotContain("url(", text);
        Assert.DoesNotContain("@import", text);
        Assert.DoesNotContain("http", text);

        // The diagnosis in the same words, in the same order, as diag prints.
        string[] printed = [.. run.Output.Split('\n').Where(l => l.StartsWith("FAIL ", StringComparison.Ordinal) || l.StartsWith("INFO ", StringComparison.Ordinal)
            || l.StartsWith("PASS ", StringComparison.Ordinal) || l.StartsWith("WARN ", StringComparison.Ordinal)).Select(l => l.TrimEnd('\r'))];
        string[] rows = [.. document.QuerySelectorAll("tr.finding").Select(r =>
            $"{r.Children[0].TextContent,-5} {r.Children[1].TextContent,-8} {r.Children[2].TextContent}")];
        Assert.Equal(printed, rows);
        Assert.Contains(rows, r => r.Contains("run the bus at 400 kHz (--speed 400)", StringComparison.Ordinal));
        Assert.Equal("FAIL", document.GetElementById("verdict")!.TextContent);
    }

    [Fact]
    public void Html_PlotPoints_AreTheFiguresTheSweepMeasured()
    {
        using var dir = new TempDir();
        string html = dir.File("report.html");
        CliRun run = CliRun.Of("diag", "--state", dir.File("se.json"), "--fault", "crc", "--html", html);
        Assert.Equal(ExitCodes.Failed, run.ExitCode);

        // The same run again in process, on the same deterministic virtual clock, gives the figures to compare with.
        var options = new WiringDiagnosticsOptions { Sweep = true };
        DiagnosticReport report = DiagRunner.Run(new SeTarget { StatePath = dir.File("se.json") }, options, "crc", null, []);
        Assert.Equal(3, report.SweepPointCount);

        var document = new HtmlParser().ParseDocument(File.ReadAllText(html));
        var plot = document.GetElementById("rtt-plot")!;
        double yMax = double.Parse(plot.GetAttribute("data-y-max-ms")!, CultureInfo.InvariantCulture);
        long slowest = Enumerable.Range(0, 3).Select(i => report.GetSweepPoint(i).MaxRoundTripMs).Max();
        Assert.Equal(DiagHtmlPlots.NiceCeiling(slowest), yMax);
        var points = plot.QuerySelectorAll("g.point").ToList();
        Assert.Equal(3, points.Count);
        for (int i = 0; i < 3; i++)
        {
            SweepPoint p = report.GetSweepPoint(i);
            var g = points[i];
            Assert.Equal(
                new long[] { p.SpeedKhz, p.Tried, p.Errors, p.Retries, p.MinRoundTripMs, p.AverageRoundTripMs, p.MaxRoundTripMs },
                new[] { "data-speed-khz", "data-tried", "data-errors", "data-retries", "data-min-ms", "data-avg-ms", "data-max-ms" }
                    .Select(a => long.Parse(g.GetAttribute(a)!, CultureInfo.InvariantCulture)));
            Assert.Equal(p.Opened ? "true" : "false", g.GetAttribute("data-opened"));
            var circle = g.QuerySelector("circle");
            if (p.AverageRoundTripMs >= 0)
            {
                Assert.Contains(p.Clean ? "clean" : "dirty", g.ClassList);
                double cy = double.Parse(circle!.GetAttribute("cy")!, CultureInfo.InvariantCulture);
                Assert.Equal(DiagHtmlPlots.Y(p.AverageRoundTripMs, yMax), cy, 2);
                double cx = double.Parse(circle.GetAttribute("cx")!, CultureInfo.InvariantCulture);
                Assert.Equal(DiagHtmlPlots.PlotLeft + ((i + 0.5) * (DiagHtmlPlots.PlotRight - DiagHtmlPlots.PlotLeft) / 3), cx, 2);
            }
            else
            {
                Assert.Null(circle);
                Assert.Contains("silent", g.ClassList);
            }
        }

        // 100 and 400 kHz answer cleanly, 1000 kHz never opens (every answer corrupt above 400 kHz).
        Assert.Equal(["clean", "clean", "silent"], points.Select(g => g.ClassList[1]));
        Assert.Equal(3, document.QuerySelectorAll("#speed-figures tr").Length - 1);
    }

    [Fact]
    public void Html_Timeline_MarksTheRetriesCorruptFramesAndNacksOfTheRun()
    {
        using var dir = new TempDir();
        string html = dir.File("report.html");
        string pcap = dir.File("run.pcap");
        CliRun run = CliRun.Of("diag", "--state", dir.File("se.json"), "--fault", "crc", "--html", html, "--trace-file", pcap);
        Assert.Equal(ExitCodes.Failed, run.ExitCode);

        var document = new HtmlParser().ParseDocument(File.ReadAllText(html));
        var summary = document.GetElementById("timeline-summary")!;
        int Count(string name) => int.Parse(summary.GetAttribute(name)!, CultureInfo.InvariantCulture);
        var plot = document.GetElementById("timeline-plot")!;
        Assert.True(Count("data-retries") > 0);
        Assert.True(Count("data-corrupt") > 0);
        Assert.True(Count("data-nacks") > 0);
        Assert.Equal(Count("data-retries"), plot.QuerySelectorAll("rect.ev-retry").Length);
        Assert.Equal(Count("data-corrupt"), plot.QuerySelectorAll("rect.ev-corrupt").Length);
        Assert.Equal(Count("data-nacks"), plot.QuerySelectorAll("rect.ev-nack").Sum(r => int.Parse(r.GetAttribute("data-count")!, CultureInfo.InvariantCulture)));
        Assert.Equal(
            ["bus at 1000 kHz", "bus at 100 kHz", "bus at 400 kHz", "bus at 1000 kHz", "bus at 1000 kHz"],
            plot.QuerySelectorAll("g.marker text").Select(t => t.TextContent));

        // The same frames as the capture of the same run: as many marks as frames, and the same corrupt ones.
        List<string[]> frames = Tshark.Fields(PcapCapture.FramesPathFor(pcap), null, "nanoagent.t1.crc.status");
        Assert.Equal(frames.Count, plot.QuerySelectorAll("rect.ev").Count(r => r.GetAttribute("data-kind") is not ("Nack" or "Busy")));
        Assert.Equal(frames.Count(f => f[0] == "0"), Count("data-corrupt"));
        Assert.Equal(document.QuerySelectorAll("#frames tr").Length - 1, plot.QuerySelectorAll("rect.ev, g.marker").Length);
    }

    [Fact]
    public void Html_RendersInHeadlessChromium()
    {
        using var dir = new TempDir();
        string html = dir.File("report.html");
        Assert.Equal(ExitCodes.Failed, CliRun.Of("diag", "--state", dir.File("se.json"), "--fault", "crc", "--html", html).ExitCode);

        string png = dir.File("report.png");
        Chromium(dir, "--screenshot=" + png, "--window-size=1200,2400", new Uri(html).AbsoluteUri);
        byte[] image = File.ReadAllBytes(png);
        Assert.Equal(Hex.Parse("89504E470D0A1A0A"), image[..8]);                   // a PNG
        Assert.Equal(1200, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(16))); // IHDR width
        Assert.Equal(2400, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(20))); // IHDR height
        Assert.True(image.Length > 20_000, $"the screenshot is only {image.Length} bytes: nothing drawn?");

        // Chromium's own DOM of the file holds both plots and every point.
        string dom = Chromium(dir, "--dump-dom", new Uri(html).AbsoluteUri);
        var document = new HtmlParser().ParseDocument(dom);
        Assert.Equal(3, document.QuerySelectorAll("#rtt-plot g.point").Length);
        Assert.NotNull(document.QuerySelector("#timeline-plot rect.ev-corrupt"));
    }

    [Fact]
    public void Html_WhereTheClockCannotChange_SaysWhatWasNotMeasured()
    {
        using var dir = new TempDir();
        string html = dir.File("report.html");
        CliRun run = CliRun.Of("diag", "--state", dir.File("se.json"), "--spi", "virtual", "--html", html, "--json", "--echo", "4");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        JsonElement echo = json.RootElement.GetProperty("data").GetProperty("echo");

        var document = new HtmlParser().ParseDocument(File.ReadAllText(html));
        Assert.Contains("Not measured per speed", document.GetElementById("sweep-missing")!.TextContent);
        var point = Assert.Single(document.QuerySelectorAll("#rtt-plot g.point"));
        Assert.Equal(echo.GetProperty("avgMs").GetInt64().ToString(CultureInfo.InvariantCulture), point.GetAttribute("data-avg-ms"));
        Assert.Equal(echo.GetProperty("count").GetInt32().ToString(CultureInfo.InvariantCulture), point.GetAttribute("data-tried"));
        Assert.Equal("PASS", document.GetElementById("verdict")!.TextContent);
        Assert.Contains("Not scanned", document.GetElementById("scan")!.TextContent);
    }

    [Fact]
    public void Html_NoSe_SaysNothingWasTimedAndShowsTheNacks()
    {
        using var dir = new TempDir();
        string html = dir.File("report.html");
        Assert.Equal(ExitCodes.NoDevice, CliRun.Of("diag", "--state", dir.File("se.json"), "--fault", "absent", "--html", html).ExitCode);

        var document = new HtmlParser(new HtmlParserOptions { IsStrictMode = true }).ParseDocument(File.ReadAllText(html));
        Assert.Contains("the SE did not answer", document.GetElementById("sweep-missing")!.TextContent);
        Assert.Null(document.GetElementById("rtt-plot"));
        Assert.True(int.Parse(document.GetElementById("timeline-summary")!.GetAttribute("data-nacks")!, CultureInfo.InvariantCulture) > 0);
        Assert.Contains("no ACK at 0x48", document.GetElementById("diagnosis")!.TextContent);
    }

    [Fact]
    public void Html_UnwritablePath_IsBadInputBeforeTheRun()
    {
        using var dir = new TempDir();
        string html = Path.Combine(dir.Path, "no-such-folder", "report.html");
        CliRun run = CliRun.Of("diag", "--state", dir.File("se.json"), "--html", html);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith($"error: {html}: cannot write the report", run.Error);
        Assert.Empty(run.Output);
    }

    private static string Chromium(TempDir dir, params string[] args)
    {
        string profile = Path.Combine(dir.Path, "chromium-profile-" + Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo(FindChromium()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
        }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 180 s");
        }

        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {error.Result}");
        return output;
    }

    private static string FindChromium()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            if (File.Exists(Path.Combine(dir, "chromium")))
            {
                return Path.Combine(dir, "chromium");
            }
        }

        throw new InvalidOperationException("'chromium' was not found: the HTML report test needs it (apt-get install chromium; .ci/run installs it).");
    }
}
