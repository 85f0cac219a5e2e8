namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>
/// A recorded run of NXP's middleware examples against the virtual SE05x (Se05x/NxpTraces/*.trace): comment lines
/// (<c>#</c>, naming the middleware, its build, the examples and the API behind each command), the card it ran on
/// (<c>applet</c>, <c>platform-keys KVN ENC MAC DEK</c>, <c>uid</c>), then exchanges: <c>&gt; command</c> and
/// <c>&lt; response</c>, or <c>&lt;~ response</c> when the answer depends on the card's own key generation or ECDSA
/// nonce (OS randomness, not replayed): of those only the status word is compared.
/// </summary>
internal sealed class Se05xNxpTrace
{
    private Se05xNxpTrace(string name) => Name = name;

    public string Name { get; }

    public int AppletMajor { get; private set; }

    public byte KeyVersion { get; private set; }

    public byte[] Enc { get; private set; } = [];

    public byte[] Mac { get; private set; } = [];

    public byte[] Dek { get; private set; } = [];

    public byte[] UniqueId { get; private set; } = [];

    public List<Exchange> Exchanges { get; } = [];

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Se05x", "NxpTraces");

    public static Se05xNxpTrace Load(string name)
    {
        var trace = new Se05xNxpTrace(name);
        byte[]? command = null;
        int number = 0;
        foreach (string raw in File.ReadLines(Path.Combine(Folder, name)))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words[0])
            {
                case "applet":
                    trace.AppletMajor = int.Parse(words[1]);
                    break;
                case "platform-keys":
                    trace.KeyVersion = Convert.ToByte(words[1], 16);
                    (trace.Enc, trace.Mac, trace.Dek) = (Hex.Parse(words[2]), Hex.Parse(words[3]), Hex.Parse(words[4]));
                    break;
                case "uid":
                    trace.UniqueId = Hex.Parse(words[1]);
                    break;
                case ">":
                    command = Hex.Parse(words[1]);
                    break;
                case "<" or "<~" when command is not null:
                    trace.Exchanges.Add(new Exchange(number, command, Hex.Parse(words[1]), words[0] == "<~"));
                    command = null;
                    break;
                default:
                    throw new FormatException($"{name}:{number}: cannot read '{line}'");
            }
        }

        return trace;
    }

    /// <summary>One command and the answer recorded for it (line: the answer's line in the file).</summary>
    internal sealed record Exchange(int Line, byte[] Command, byte[] Response, bool StatusOnly);
}
