using System.Globalization;
using System.Text;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Diagnostics;

namespace NanoAgent.Host.Diag;

/// <summary>
/// The two inline-SVG plots of the HTML wiring report: round-trip time per bus speed (from the speed sweep, or the echo
/// loop alone where the clock cannot change) and the frame timeline with retries and NACKs marked. Every plotted point
/// carries its figures as data attributes, and the plot its scale, so a reader (or a test) can check what is drawn.
/// </summary>
public static class DiagHtmlPlots
{
    /// <summary>The plot area of the round-trip plot, in SVG user units.</summary>
    public const double PlotLeft = 64, PlotRight = 624, PlotTop = 16, PlotBottom = 252;

    private const double TimelineStart = 110, TimelineStep = 8, MarkerGap = 84;

    /// <summary>The smallest 1, 2 or 5 times a power of ten at or above a value: the top of the round-trip axis.</summary>
    /// <param name="value">The largest figure to show (at least 1 is used).</param>
    /// <returns>The axis maximum.</returns>
    public static double NiceCeiling(double value)
    {
        double v = Math.Max(value, 1);
        double power = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (double f in new[] { 1.0, 2, 5, 10 })
        {
            if (f * power >= v - 1e-9)
            {
                return f * power;
            }
        }

        return 10 * power;
    }

    /// <summary>The y coordinate of a round-trip time on the plot.</summary>
    /// <param name="ms">The time in milliseconds.</param>
    /// <param name="yMax">The axis maximum.</param>
    /// <returns>The coordinate.</returns>
    public static double Y(double ms, double yMax) => PlotBottom - (ms / yMax * (PlotBottom - PlotTop));

    /// <summary>The round-trip section: plot and table of figures, or why nothing was measured.</summary>
    /// <param name="report">The report.</param>
    /// <param name="notes">Remarks about checks skipped on this platform.</param>
    /// <returns>The HTML section.</returns>
    public static string Speeds(DiagnosticReport report, IReadOnlyList<string> notes)
    {
        var html = new StringBuilder("<section id=\"speeds\">\n<h2>Round-trip time per bus speed</h2>\n");
        var points = new List<SweepPoint>();
        for (int i = 0; i < report.SweepPointCount; i++)
        {
            points.Add(report.GetSweepPoint(i));
        }

        if (points.Count == 0)
        {
            string why = notes.FirstOrDefault(n => n.Contains("sweep", StringComparison.Ordinal))
                ?? (report.ProtocolName is null ? "the SE did not answer, so nothing was timed" : "this bus cannot change its clock at run time");
            html.Append("<p class=\"missing\" id=\"sweep-missing\">Not measured per speed: ").Append(Html.Text(why)).Append('.');
            if (report.MinRoundTripMs >= 0)
            {
                html.Append(" The plot shows the echo loop at the speed in force.");
                points.Add(new SweepPoint(report.SpeedKhz)
                {
                    Opened = true, Tried = report.EchoCount, Errors = report.EchoErrors, Retries = report.EchoRetries,
                    MinRoundTripMs = report.MinRoundTripMs, AverageRoundTripMs = report.AverageRoundTripMs, MaxRoundTripMs = report.MaxRoundTripMs,
                });
            }

            html.Append("</p>\n");
        }
        else
        {
            html.Append("<p>Each speed: the block protocol opened again, then ").Append(points.Max(p => p.Tried))
                .Append(" echo round trips. Dot: mean; bar: fastest to slowest; orange: retries or failures; a cross: no answer.</p>\n");
        }

        if (points.Count > 0)
        {
            RoundTripPlot(html, points);
            FiguresTable(html, points);
        }

        return html.Append("</section>\n").ToString();
    }

    /// <summary>The timeline section: every frame in order, retries, corrupt frames and NACKs marked.</summary>
    /// <param name="timeline">The recorded frames, or null.</param>
    /// <returns>The HTML section.</returns>
    public static string Timeline(FrameTimeline? timeline)
    {
        var html = new StringBuilder("<section id=\"timeline\">\n<h2>Frame timeline</h2>\n");
        if (timeline is null || timeline.Events.Count == 0)
        {
            return html.Append("<p class=\"missing\" id=\"timeline-missing\">No frames were recorded.</p>\n</section>\n").ToString();
        }

        IReadOnlyList<TimelineEvent> events = timeline.Events;
        int frames = events.Count(e => e.Kind is not (TimelineEventKind.Nack or TimelineEventKind.Busy or TimelineEventKind.Marker));
        int retries = events.Count(e => e.Kind == TimelineEventKind.Retry);
        int corrupt = events.Count(e => e.Kind == TimelineEventKind.Corrupt);
        int nacks = events.Where(e => e.Kind == TimelineEventKind.Nack).Sum(e => e.Count);
        int busy = events.Where(e => e.Kind == TimelineEventKind.Busy).Sum(e => e.Count);
        html.Append($"<p id=\"timeline-summary\" data-frames=\"{frames}\" data-retries=\"{retries}\" data-corrupt=\"{corrupt}\" data-nacks=\"{nacks}\" data-busy=\"{busy}\">")
            .Append($"{frames} frames in order, left to right: {retries} retries, {corrupt} corrupt frames, {nacks} refused transfers (NACK), {busy} busy reads. ")
            .Append("An SE refuses reads (I2C NACK, SPI filler) while it computes, so a few after each command are normal; retries and corrupt frames are not.");
        if (timeline.Dropped > 0)
        {
            html.Append($" Only the first {events.Count} marks are drawn; {timeline.Dropped} more were left out.");
        }

        html.Append("</p>\n<p class=\"legend\">");
        foreach ((string cls, string text) in new[] { ("info", "I-block"), ("rr", "R-block ack"), ("s", "S-block"), ("retry", "retry"), ("corrupt", "corrupt frame"), ("nack", "NACK"), ("busy", "busy") })
        {
            html.Append("<span class=\"swatch ev-").Append(cls).Append("\"></span> ").Append(text).Append(" &#160; ");
        }

        // Markers take room of their own so that their labels never overlap.
        double[] xs = new double[events.Count];
        double next = TimelineStart;
        for (int i = 0; i < events.Count; i++)
        {
            bool marker = events[i].Kind == TimelineEventKind.Marker;
            xs[i] = next + (marker ? 4 : 0);
            next += marker ? MarkerGap : TimelineStep;
        }

        double width = next + 40;
        html.Append("</p>\n<div class=\"scroll\">\n<svg id=\"timeline-plot\" width=\"").Append(Html.Num(width))
            .Append("\" height=\"190\" viewBox=\"0 0 ").Append(Html.Num(width)).Append(" 190\" role=\"img\" aria-label=\"frame timeline\">\n")
            .Append("<text x=\"4\" y=\"54\">host → SE</text><text x=\"4\" y=\"94\">SE → host</text><text x=\"4\" y=\"134\">bus refused</text>\n");
        for (int i = 0; i < events.Count; i++)
        {
            TimelineEvent e = events[i];
            double x = xs[i];
            string title = Html.Text($"+{e.Milliseconds} ms {Arrow(e.Direction)} {e.Detail}" + (e.Count > 1 ? $" ({e.Count} times)" : string.Empty));
            if (e.Kind == TimelineEventKind.Marker)
            {
                html.Append("<g class=\"marker\"><line x1=\"").Append(Html.Num(x)).Append("\" y1=\"22\" x2=\"").Append(Html.Num(x)).Append("\" y2=\"150\" />")
                    .Append("<text x=\"").Append(Html.Num(x + 2)).Append("\" y=\"18\">").Append(Html.Text(e.Label)).Append("</text><title>").Append(title).Append("</title></g>\n");
                continue;
            }

            bool alarm = e.Kind is TimelineEventKind.Retry or TimelineEventKind.Corrupt;
            double lane = e.Kind is TimelineEventKind.Nack or TimelineEventKind.Busy ? 130 : e.Direction == FrameDirection.HostToSe ? 50 : 90;
            double h = alarm ? 26 : 16;
            html.Append("<rect class=\"ev ev-").Append(Css(e.Kind)).Append("\" data-kind=\"").Append(e.Kind).Append("\" data-ms=\"").Append(e.Milliseconds)
                .Append("\" data-count=\"").Append(e.Count).Append("\" x=\"").Append(Html.Num(x - 3)).Append("\" y=\"").Append(Html.Num(lane - (h / 2)))
                .Append("\" width=\"6\" height=\"").Append(Html.Num(h)).Append("\"><title>").Append(title).Append("</title></rect>\n");
            if (i % 25 == 0)
            {
                html.Append("<text class=\"tick\" x=\"").Append(Html.Num(x)).Append("\" y=\"172\">+").Append(e.Milliseconds).Append(" ms</text>\n");
            }
        }

        html.Append("</svg>\n</div>\n<details>\n<summary>Every mark (").Append(events.Count).Append(")</summary>\n<table id=\"frames\">\n")
            .Append("<tr><th>#</th><th>time</th><th>direction</th><th>kind</th><th>frame</th><th>count</th></tr>\n");
        for (int i = 0; i < events.Count; i++)
        {
            TimelineEvent e = events[i];
            html.Append("<tr class=\"ev-row row-").Append(Css(e.Kind)).Append("\"><td>").Append(i + 1).Append("</td><td>+").Append(e.Milliseconds).Append(" ms</td><td>")
                .Append(e.Kind == TimelineEventKind.Marker ? string.Empty : Arrow(e.Direction)).Append("</td><td>").Append(e.Kind).Append("</td><td class=\"mono\">")
                .Append(Html.Text(e.Detail)).Append("</td><td>").Append(e.Count).Append("</td></tr>\n");
        }

        return html.Append("</table>\n</details>\n</section>\n").ToString();
    }

    private static void RoundTripPlot(StringBuilder html, List<SweepPoint> points)
    {
        double yMax = NiceCeiling(points.Where(p => p.MaxRoundTripMs >= 0).Select(p => (double)p.MaxRoundTripMs).DefaultIfEmpty(1).Max());
        html.Append("<svg id=\"rtt-plot\" width=\"640\" height=\"300\" viewBox=\"0 0 640 300\" role=\"img\" aria-label=\"round-trip time per bus speed\"")
            .Append(" data-y-max-ms=\"").Append(Html.Num(yMax)).Append("\" data-plot-top=\"").Append(Html.Num(PlotTop)).Append("\" data-plot-bottom=\"").Append(Html.Num(PlotBottom))
            .Append("\" data-plot-left=\"").Append(Html.Num(PlotLeft)).Append("\" data-plot-right=\"").Append(Html.Num(PlotRight)).Append("\">\n");
        for (int t = 0; t <= 4; t++)
        {
            double v = yMax * t / 4;
            double y = Y(v, yMax);
            html.Append("<line class=\"grid\" x1=\"").Append(Html.Num(PlotLeft)).Append("\" y1=\"").Append(Html.Num(y)).Append("\" x2=\"").Append(Html.Num(PlotRight))
                .Append("\" y2=\"").Append(Html.Num(y)).Append("\" /><text class=\"axis\" x=\"").Append(Html.Num(PlotLeft - 6)).Append("\" y=\"").Append(Html.Num(y + 4))
                .Append("\" text-anchor=\"end\">").Append(Html.Num(v)).Append("</text>\n");
        }

        html.Append("<text class=\"axis\" x=\"14\" y=\"").Append(Html.Num((PlotTop + PlotBottom) / 2)).Append("\" transform=\"rotate(-90 14 ")
            .Append(Html.Num((PlotTop + PlotBottom) / 2)).Append(")\" text-anchor=\"middle\">round trip (ms)</text>\n")
            .Append("<text class=\"axis\" x=\"").Append(Html.Num((PlotLeft + PlotRight) / 2)).Append("\" y=\"292\" text-anchor=\"middle\">bus speed</text>\n");
        double slot = (PlotRight - PlotLeft) / points.Count;
        for (int i = 0; i < points.Count; i++)
        {
            SweepPoint p = points[i];
            double cx = PlotLeft + ((i + 0.5) * slot);
            string speed = p.SpeedKhz > 0 ? p.SpeedKhz.ToString(CultureInfo.InvariantCulture) + " kHz" : "speed not known";
            bool answered = p.Opened && p.AverageRoundTripMs >= 0;
            string cls = !answered ? "silent" : p.Clean ? "clean" : "dirty";
            html.Append("<g class=\"point ").Append(cls).Append("\" data-speed-khz=\"").Append(p.SpeedKhz).Append("\" data-opened=\"").Append(p.Opened ? "true" : "false")
                .Append("\" data-tried=\"").Append(p.Tried).Append("\" data-errors=\"").Append(p.Errors).Append("\" data-retries=\"").Append(p.Retries)
                .Append("\" data-min-ms=\"").Append(p.MinRoundTripMs).Append("\" data-avg-ms=\"").Append(p.AverageRoundTripMs).Append("\" data-max-ms=\"").Append(p.MaxRoundTripMs).Append("\">");
            if (answered)
            {
                double cy = Y(p.AverageRoundTripMs, yMax);
                html.Append("<line class=\"range\" x1=\"").Append(Html.Num(cx)).Append("\" y1=\"").Append(Html.Num(Y(p.MinRoundTripMs, yMax))).Append("\" x2=\"").Append(Html.Num(cx))
                    .Append("\" y2=\"").Append(Html.Num(Y(p.MaxRoundTripMs, yMax))).Append("\" /><circle cx=\"").Append(Html.Num(cx)).Append("\" cy=\"").Append(Html.Num(cy))
                    .Append("\" r=\"6\" /><text x=\"").Append(Html.Num(cx + 10)).Append("\" y=\"").Append(Html.Num(cy + 4)).Append("\">").Append(p.AverageRoundTripMs).Append(" ms</text>");
            }
            else
            {
                double y = PlotBottom - 12;
                html.Append("<path class=\"cross\" d=\"M").Append(Html.Num(cx - 6)).Append(' ').Append(Html.Num(y - 6)).Append(" l12 12 m0 -12 l-12 12\" />")
                    .Append("<text x=\"").Append(Html.Num(cx + 10)).Append("\" y=\"").Append(Html.Num(y + 4)).Append("\">no answer</text>");
            }

            html.Append("<text class=\"axis\" x=\"").Append(Html.Num(cx)).Append("\" y=\"").Append(Html.Num(PlotBottom + 18)).Append("\" text-anchor=\"middle\">").Append(Html.Text(speed))
                .Append("</text><title>").Append(Html.Text(Describe(p, speed))).Append("</title></g>\n");
        }

        html.Append("</svg>\n");
    }

    private static void FiguresTable(StringBuilder html, List<SweepPoint> points)
    {
        html.Append("<table id=\"speed-figures\">\n<tr><th>bus speed</th><th>opened</th><th>round trips</th><th>failed</th><th>retries</th><th>min / avg / max</th></tr>\n");
        foreach (SweepPoint p in points)
        {
            html.Append("<tr><td>").Append(p.SpeedKhz > 0 ? p.SpeedKhz + " kHz" : "not known").Append("</td><td>").Append(p.Opened ? "yes" : "no").Append("</td><td>")
                .Append(p.Tried).Append("</td><td>").Append(p.Errors).Append("</td><td>").Append(p.Retries).Append("</td><td>")
                .Append(p.AverageRoundTripMs < 0 ? "no answer" : $"{p.MinRoundTripMs} / {p.AverageRoundTripMs} / {p.MaxRoundTripMs} ms").Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static string Describe(SweepPoint p, string speed) => !p.Opened
        ? $"{speed}: the block protocol did not open"
        : p.AverageRoundTripMs < 0
            ? $"{speed}: {p.Tried} round trips, none answered"
            : $"{speed}: {p.Tried} round trips, {p.Errors} failed, {p.Retries} retries, min/avg/max {p.MinRoundTripMs}/{p.AverageRoundTripMs}/{p.MaxRoundTripMs} ms";

    private static string Arrow(FrameDirection d) => d == FrameDirection.HostToSe ? "host→SE" : "SE→host";

    private static string Css(TimelineEventKind kind) => kind switch
    {
        TimelineEventKind.Information => "info",
        TimelineEventKind.ReceiveReady => "rr",
        TimelineEventKind.Supervisory => "s",
        TimelineEventKind.Retry => "retry",
        TimelineEventKind.Corrupt => "corrupt",
        TimelineEventKind.Nack => "nack",
        TimelineEventKind.Busy => "busy",
        _ => "marker",
    };
}
