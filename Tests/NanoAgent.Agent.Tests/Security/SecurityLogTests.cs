using CsCheck;
using NanoAgent.Agent.Security;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Agent.Tests.Security;

/// <summary>
/// The agent's security events (docs/threat-model.md, "Security events"): one line per refusal with device, tenant, what and
/// why, at most <see cref="SecurityLog.LinesPerWindow"/> a minute per kind and tenant, the rest counted in one
/// <c>suppressed=N</c> line when the minute is over. A virtual clock drives the windows.
/// </summary>
public class SecurityLogTests
{
    private readonly VirtualClock _clock = new();
    private readonly LineSink _sink = new();

    private SecurityLog NewLog(int limit = 3) => new(_sink, _clock, "meter-001", limit);

    [Fact]
    public void Report_WritesOneLineWithDeviceTenantWhatAndWhy()
    {
        SecurityLog log = NewLog();

        Assert.True(log.Report(SecurityEventKind.Request, "acme", "script", [0xDE, 0xAD, 0xBE, 0xEF, 0x01], "not authenticated"));

        Assert.Equal("security device=meter-001 tenant=acme event=request refused=\"script deadbeef\" why=\"not authenticated\"", Assert.Single(_sink.Lines));
    }

    [Fact]
    public void Report_OverTheLimit_SuppressedAndCountedInOneLineWhenTheMinuteIsOver()
    {
        SecurityLog log = NewLog();
        for (int i = 0; i < 100; i++)
        {
            log.Report(SecurityEventKind.Actuate, "acme", "command relay", null, "MAC rejected by the secure element");
        }

        Assert.Equal(3, _sink.Lines.Count);
        Assert.Equal(97, log.Suppressed);
        _clock.Sleep(59_999);
        Assert.Equal(0, log.Flush());
        _clock.Sleep(1);
        Assert.Equal(1, log.Flush());
        Assert.Equal("security device=meter-001 tenant=acme event=actuate suppressed=97 why=\"more than 3 a minute\"", _sink.Lines[^1]);
        Assert.Equal(0, log.Flush());

        // A new minute: lines again.
        Assert.True(log.Report(SecurityEventKind.Actuate, "acme", "command relay", null, "replayed"));
    }

    [Fact]
    public void Report_AfterTheMinute_TheNextEventWritesTheSuppressedCountFirst()
    {
        SecurityLog log = NewLog(1);
        log.Report(SecurityEventKind.Request, "acme", "script", null, "replayed counter");
        log.Report(SecurityEventKind.Request, "acme", "script", null, "replayed counter");
        _clock.Sleep(60_000);

        log.Report(SecurityEventKind.Request, "acme", "script", null, "not authenticated");

        Assert.Equal(3, _sink.Lines.Count);
        Assert.Contains("suppressed=1 ", _sink.Lines[1]);
        Assert.Contains("why=\"not authenticated\"", _sink.Lines[2]);
    }

    [Fact]
    public void Report_EachKindAndTenantHasItsOwnLimit()
    {
        SecurityLog log = NewLog(1);
        Assert.True(log.Report(SecurityEventKind.Request, "acme", "script", null, "x"));
        Assert.False(log.Report(SecurityEventKind.Request, "acme", "script", null, "x"));
        Assert.True(log.Report(SecurityEventKind.Request, "beta", "script", null, "x"));
        Assert.True(log.Report(SecurityEventKind.Guard, "acme", "EXTERNAL AUTHENTICATE", null, "x"));
        Assert.True(log.Report(SecurityEventKind.Broker, null, "publish", null, "not authorized"));
        Assert.Contains("tenant=- event=broker", _sink.Lines[^1]);
    }

    [Fact]
    public void Report_ThousandsOfTenantNames_LinesStayBoundedAndNothingIsLostFromTheCount()
    {
        // A sender choosing a new tenant name per message cannot get more lines: past MaxTracked pairs they share one limit.
        SecurityLog log = NewLog(2);
        for (int i = 0; i < 5000; i++)
        {
            log.Report(SecurityEventKind.Request, "t" + i, "script", null, "unknown tenant");
        }

        Assert.Equal(SecurityLog.MaxTracked + 2, _sink.Lines.Count); // one line each for the tracked, two for all the others
        _clock.Sleep(60_000);
        log.Flush();
        Assert.Contains(_sink.Lines, l => l.Contains("tenant=* event=request suppressed=", StringComparison.Ordinal));
        Assert.Equal(5000, _sink.Lines.Count(l => !l.Contains("suppressed=", StringComparison.Ordinal)) + Suppressed(_sink.Lines));
    }

    [Fact]
    public void Report_SenderChosenValues_NoQuotesNoLineBreaksBoundedLength()
    {
        SecurityLog log = NewLog();
        log.Report(SecurityEventKind.Actuate, "acme", "command re\"lay\nsecurity device=x", null, new string('a', 500));

        string line = Assert.Single(_sink.Lines);
        Assert.DoesNotContain('\n', line);
        Assert.Equal(4, line.Count(c => c == '"')); // the quotes around refused and why only
        Assert.Contains("refused=\"command re?lay?security device=x\"", line);
        Assert.Contains("why=\"" + new string('a', SecurityLog.MaxValueLength) + "\"", line);
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => new SecurityLog(_sink, _clock, "d", 0));
        Assert.Throws<ArgumentException>(() => new SecurityLog(null!, _clock, "d", 1));
    }

    [Fact]
    public void Report_AnyEvents_EveryEventIsWrittenOrCounted_AndNoMinuteHasMoreThanLimitPlusOneLinesPerPair()
    {
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 20], Gen.Int[0, 30_000]).Array[1, 400].Sample(events =>
        {
            var clock = new VirtualClock();
            var sink = new LineSink();
            var log = new SecurityLog(sink, clock, "d", 4);
            foreach (var (kind, tenant, pause) in events)
            {
                clock.Sleep(pause);
                log.Report((SecurityEventKind)kind, "t" + tenant, "w", null, "why");
            }

            clock.Sleep(60_000);
            log.Flush();
            int written = sink.Lines.Count(l => !l.Contains("suppressed=", StringComparison.Ordinal));
            Assert.Equal(events.Length, written + Suppressed(sink.Lines));
            Assert.Equal(log.Suppressed, Suppressed(sink.Lines));
        });
    }

    private static int Suppressed(IEnumerable<string> lines) => lines
        .Select(l => System.Text.RegularExpressions.Regex.Match(l, "suppressed=([0-9]+)"))
        .Where(m => m.Success)
        .Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
}
