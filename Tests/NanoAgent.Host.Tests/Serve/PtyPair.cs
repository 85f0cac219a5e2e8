using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NanoAgent.Host.Tests.Serve;

/// <summary>
/// A pseudo-terminal pair joined by Debian's socat (<c>socat -d -d pty,raw,echo=0 pty,raw,echo=0</c>): what one end
/// writes the other reads, as a USB serial cable between a PC and a board.
/// </summary>
public sealed partial class PtyPair : IDisposable
{
    private readonly Process _socat;

    public PtyPair()
    {
        var info = new ProcessStartInfo("socat") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0" })
        {
            info.ArgumentList.Add(arg);
        }

        _socat = Process.Start(info) ?? throw new InvalidOperationException("socat did not start (apt-get install socat)");
        var ends = new List<string>();
        try
        {
            while (ends.Count < 2)
            {
                string? line = _socat.StandardError.ReadLine();
                Assert.True(line is not null, "socat ended before naming its two pseudo-terminals");
                Match m = PtyLine().Match(line);
                if (m.Success)
                {
                    ends.Add(m.Groups[1].Value);
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        (BoardEnd, PcEnd) = (ends[0], ends[1]);
        // socat keeps logging to standard error at -d -d: drain it so it never blocks.
        new Thread(() =>
        {
            while (_socat.StandardError.ReadLine() is not null)
            {
            }
        }) { IsBackground = true }.Start();
    }

    /// <summary>Gets the end the "board" (serve --serial) opens.</summary>
    public string BoardEnd { get; }

    /// <summary>Gets the end the PC's tools (--via serial:) open.</summary>
    public string PcEnd { get; }

    public void Dispose()
    {
        if (!_socat.HasExited)
        {
            _socat.Kill();
            _socat.WaitForExit(5000);
        }

        _socat.Dispose();
    }

    [GeneratedRegex(@"PTY is (\S+)")]
    private static partial Regex PtyLine();
}
