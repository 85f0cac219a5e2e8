namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// A loopback card for link tests: answers a command's data field followed by 9000; a command without data
/// but with Le answers Le bytes counting 00, 01, 02 … (so long responses can be checked byte by byte).
/// Accepts short and extended (ISO/IEC 7816-4 §5.1) encodings.
/// </summary>
public sealed class EchoProcessor : IApduProcessor
{
    /// <summary>Gets the number of commands processed.</summary>
    public int Commands { get; private set; }

    /// <inheritdoc />
    public int Process(ReadOnlySpan<byte> command, Span<byte> response)
    {
        Commands++;
        if (command.Length < 4)
        {
            return Sw(response, 0, 0x6700);
        }

        ReadOnlySpan<byte> body = command[4..];
        int nc = 0, ne = 0, dataStart = 0;
        if (body.Length == 1)
        {
            ne = body[0] == 0 ? 256 : body[0];
        }
        else if (body.Length > 1 && body[0] != 0)
        {
            nc = body[0];
            dataStart = 1;
            if (body.Length != 1 + nc && body.Length != 2 + nc)
            {
                return Sw(response, 0, 0x6700);
            }
        }
        else if (body.Length == 3)
        {
            ne = (body[1] << 8) | body[2];
            ne = ne == 0 ? 65536 : ne;
        }
        else if (body.Length > 3)
        {
            nc = (body[1] << 8) | body[2];
            dataStart = 3;
            if (body.Length != 3 + nc && body.Length != 5 + nc)
            {
                return Sw(response, 0, 0x6700);
            }
        }

        int n;
        if (nc > 0)
        {
            n = Math.Min(nc, response.Length - 2);
            body.Slice(dataStart, n).CopyTo(response);
        }
        else
        {
            n = Math.Min(ne, response.Length - 2);
            for (int i = 0; i < n; i++)
            {
                response[i] = (byte)i;
            }
        }

        return Sw(response, n, 0x9000);
    }

    /// <inheritdoc />
    public void Reset()
    {
    }

    private static int Sw(Span<byte> response, int at, int sw)
    {
        response[at] = (byte)(sw >> 8);
        response[at + 1] = (byte)sw;
        return at + 2;
    }
}
