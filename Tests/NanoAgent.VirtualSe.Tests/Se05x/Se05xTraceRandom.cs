namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>
/// The virtual card's random source during a trace replay: before each command the replay hands it the bytes the
/// recorded answer shows the card drew (a platform SCP03 or AESKey card challenge, a session id, GetRandom's output),
/// so the recorded host cryptograms, MACs and session ids fit again. Draws nothing was handed for get zeros and are counted.
/// </summary>
internal sealed class Se05xTraceRandom
{
    private readonly Queue<byte[]> _next = new();

    public int UnfedDraws { get; private set; }

    public void Fill(byte[] buffer)
    {
        if (_next.Count > 0 && _next.Peek().Length == buffer.Length)
        {
            _next.Dequeue().CopyTo(buffer, 0);
            return;
        }

        UnfedDraws++;
        Array.Clear(buffer);
    }

    /// <summary>Queues what the recorded answer to this plain command shows of the card's random draws.</summary>
    public void Expect(byte[] command, byte[] response)
    {
        int sw = response.Length >= 2 ? (response[^2] << 8) | response[^1] : 0;
        if (sw != 0x9000 || command.Length < 4)
        {
            return;
        }

        if (command[0] == 0x80 && command[1] == 0x50 && response.Length == 29 + 2)
        {
            _next.Enqueue(response[13..21]); // INITIALIZE UPDATE: key data (10), key info (3), card challenge (8)
        }
        else if (Is(command, 0x80, 0x04, 0x00, 0x1B) && response.Length == 12 + 2)
        {
            _next.Enqueue(response[4..12]); // CreateSession: 41 82 00 08 <session id>
        }
        else if (Is(command, 0x80, 0x04, 0x00, 0x49) && response.Length > 4 + 2)
        {
            _next.Enqueue(response[4..^2]); // GetRandom: 41 82 hh ll <bytes>
        }
        else if (Is(command, 0x80, 0x05, 0x00, 0x00) && Inner(command) is { } inner)
        {
            Expect(inner, response); // ProcessSessionCmd answers with the inner command's answer itself
        }
    }

    // ProcessSessionCmd: Lc (nn or 00 hh ll), TLV[TAG_SESSION_ID] 10 08 <id>, TLV[TAG_1] 41 L <inner APDU>.
    private static byte[]? Inner(byte[] c)
    {
        int p = c.Length > 7 && c[4] == 0 ? 7 : 5;
        if (c.Length < p + 10 + 2 || c[p] != 0x10 || c[p + 1] != 0x08 || c[p + 10] != 0x41)
        {
            return null;
        }

        p += 11;
        int length = c[p] switch { 0x81 => c[p + 1], 0x82 => (c[p + 1] << 8) | c[p + 2], _ => c[p] };
        p += c[p] switch { 0x81 => 2, 0x82 => 3, _ => 1 };
        return p + length <= c.Length ? c[p..(p + length)] : null;
    }

    private static bool Is(byte[] c, byte cla, byte ins, byte p1, byte p2) => c[0] == cla && c[1] == ins && c[2] == p1 && c[3] == p2;
}
