namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// Fits a handler's reply to the command's Ne and the caller's buffer: sends what fits and keeps the rest for GET
/// RESPONSE ('61xx'), or asks for the right Le ('6Cxx').
/// </summary>
internal static class ResponseDelivery
{
    public static int Deliver(in CardCommand cmd, LogicalChannel channel, CardReply reply, ReadOnlySpan<byte> data, Span<byte> response)
    {
        int available = data.Length;
        if (available == 0)
        {
            return WriteStatus(response, 0, reply.StatusWord);
        }

        // As T=0 cards do for case 2 (ISO 7816-3) and ISO 7816-4 '6Cxx' allows: a short case 2 command with a non-zero Le too small for the answer
        // gets '6Cxx' with the exact length, so the host repeats it with Le = xx; nothing is sent.
        if (cmd.Data.IsEmpty && cmd.HasLe && !cmd.IsExtended && cmd.Ne < available && available <= 256
            && reply.StatusWord == StatusWords.Ok)
        {
            return WriteStatus(response, 0, StatusWords.WrongLe(available));
        }

        int limit = Math.Min(cmd.MaxResponseLength, response.Length - 2);
        if (available <= limit)
        {
            data.CopyTo(response);
            return WriteStatus(response, available, reply.StatusWord);
        }

        // ISO 7816-4 response chaining: more than Ne bytes: send Ne, keep the rest for GET RESPONSE, SW '61xx'.
        data[..limit].CopyTo(response);
        channel.SetPending(data[limit..], reply.StatusWord);
        return WriteStatus(response, limit, StatusWords.BytesRemaining(available - limit));
    }

    public static int WriteStatus(Span<byte> response, int at, ushort sw)
    {
        response[at] = (byte)(sw >> 8);
        response[at + 1] = (byte)sw;
        return at + 2;
    }
}
