using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Jrcp;

namespace NanoAgent.Drivers.Tests.Jrcp;

/// <summary>
/// Replays, byte for byte, what NXP's own VCOM client (Plug &amp; Trust 04.02.00 built with <c>PTMW_SMCOM=VCOM</c>:
/// <c>smComSerial_PCLinux.c</c> over <c>smComSocket_fd.c</c>) wrote to a serial line served by the board link, and what
/// the board link wrote back (Jrcp/NxpVcomTraces/*.vcom, recorded with <c>socat -x</c> on the pty pair; each file's header
/// names the build and the examples). The session is set up as <c>BoardLink</c> sets it (CLOSE keeps the line open), so
/// the second example's WAIT_FOR_CARD after the first one's CLOSE is part of the replay. The SE answers with the recorded
/// response APDUs, so this pins the framing the real client accepted: every byte the board link writes must be the
/// recorded one, whether the client's bytes come in its own writes or in the small pieces a UART may deliver.
/// </summary>
public sealed class NxpVcomReplayTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Jrcp", "NxpVcomTraces");

    public static TheoryData<string, int> Replays()
    {
        var data = new TheoryData<string, int>();
        foreach (string path in Directory.GetFiles(Folder, "*.vcom").Order(StringComparer.Ordinal))
        {
            foreach (int piece in new[] { 0, 1, 3 })
            {
                data.Add(Path.GetFileName(path), piece);
            }
        }

        return data;
    }

    [Fact]
    public void Traces_HoldTwoClientsOneAfterTheOther_EachOpeningWithWaitForCardAndEndingWithClose()
    {
        foreach (string path in Directory.GetFiles(Folder, "*.vcom"))
        {
            List<Row> rows = Load(path);
            // smComSocket_GetATRFD's request (wait 256 ms) and smComSocket_CloseFD's, exactly as NXP's client writes them.
            Assert.Equal(2, rows.Count(r => r.FromClient && r.Hex == "0000000400000100"));
            Assert.Equal(2, rows.Count(r => r.FromClient && r.Hex == "03000000"));
            Assert.Equal("0000000400000100", rows[0].Hex);
            Assert.Equal("03000000", rows[^2].Hex);
            Assert.Equal("030000029000", rows[^1].Hex);
        }
    }

    /// <param name="name">The trace.</param>
    /// <param name="piece">0: the client's bytes in its own writes; otherwise in pieces of this many bytes.</param>
    [Theory]
    [MemberData(nameof(Replays))]
    public void Replay_TheBoardLinkWritesWhatNxpsClientRead(string name, int piece)
    {
        List<Row> rows = Load(Path.Combine(Folder, name));
        var se = new ScriptedSe(rows);
        var log = new ListObserver();
        (PipeChannel client, PipeChannel board) = PipeChannel.Pair();
        var options = new JrcpServerOptions { CloseEndsSession = false, PollMs = 20 };
        var session = new JrcpSession(board, se, new SeAccessLock(SystemClock.Instance), SystemClock.Instance, options, log);
        var run = new Background<JrcpSessionEnd>(session.Run);
        try
        {
            foreach (Row row in rows)
            {
                byte[] bytes = Convert.FromHexString(row.Hex);
                if (row.FromClient)
                {
                    int step = piece == 0 ? bytes.Length : piece;
                    for (int at = 0; at < bytes.Length; at += step)
                    {
                        client.Write(bytes, at, Math.Min(step, bytes.Length - at));
                    }

                    continue;
                }

                Assert.Equal(row.Hex, ReadExactly(client, bytes.Length, row.Line));
            }

            var extra = new byte[1];
            Assert.Equal(0, client.Read(extra, 0, 1, 200));
            Assert.Empty(se.Mismatches);
            Assert.Equal(se.Expected, se.Served);
            Assert.Empty(log.Lines);
            Assert.False(run.IsCompleted);
        }
        finally
        {
            session.Stop();
            run.Wait(5000);
        }
    }

    private static string ReadExactly(PipeChannel client, int count, int line)
    {
        var buffer = new byte[count];
        int have = 0;
        DateTime deadline = DateTime.UtcNow.AddSeconds(5);
        while (have < count)
        {
            int n = client.Read(buffer, have, count - have, 100);
            Assert.True(n >= 0 && DateTime.UtcNow < deadline, "line " + line + ": the board link wrote " + have + " of " + count + " bytes");
            have += n;
        }

        return Convert.ToHexString(buffer);
    }

    private static List<Row> Load(string path)
    {
        var rows = new List<Row>();
        string[] lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            string text = lines[i];
            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }

            Assert.True(text.StartsWith("> ", StringComparison.Ordinal) || text.StartsWith("< ", StringComparison.Ordinal), path + ":" + (i + 1));
            rows.Add(new Row(text[0] == '>', text[2..].Trim(), i + 1));
        }

        return rows;
    }

    private sealed record Row(bool FromClient, string Hex, int Line);

    /// <summary>The SE behind the recorded run: its ATR and, in order, the response to each recorded command.</summary>
    private sealed class ScriptedSe : ILentSe
    {
        private readonly byte[] _atr;
        private readonly List<(string Command, byte[] Response)> _script = [];
        private int _next;

        public ScriptedSe(List<Row> rows)
        {
            _atr = [];
            string? command = null;
            foreach (Row row in rows)
            {
                byte[] message = Convert.FromHexString(row.Hex);
                byte[] payload = message[JrcpFraming.HeaderLength..];
                if (row.FromClient && message[0] == JrcpMessageType.ApduData)
                {
                    command = Convert.ToHexString(payload);
                }
                else if (!row.FromClient && message[0] == JrcpMessageType.ApduData)
                {
                    _script.Add((command!, payload));
                    Expected.Add(command!);
                }
                else if (!row.FromClient && message[0] == JrcpMessageType.WaitForCard && _atr.Length == 0)
                {
                    _atr = payload;
                }
            }
        }

        public List<string> Expected { get; } = [];

        public List<string> Served { get; } = [];

        public List<string> Mismatches { get; } = [];

        public int ReadAtr(byte[] buffer, int offset)
        {
            Array.Copy(_atr, 0, buffer, offset, _atr.Length);
            return _atr.Length;
        }

        public int Transmit(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            string got = Convert.ToHexString(command, commandOffset, commandCount);
            Served.Add(got);
            if (_next >= _script.Count || _script[_next].Command != got)
            {
                Mismatches.Add("command " + _next + ": " + got);
                response[responseOffset] = 0x6F;
                response[responseOffset + 1] = 0x00;
                return 2;
            }

            byte[] answer = _script[_next++].Response;
            Array.Copy(answer, 0, response, responseOffset, answer.Length);
            return answer.Length;
        }
    }
}
