using NanoAgent.Drivers.Apdu;
using NanoAgent.VirtualSe.Se05x.I2cm;
using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// The IoT applet of the virtual SE05x (AN12413): checks class, instruction and payload length, runs ProcessSessionCmd
/// in its session, and hands every other command to the handler of its instruction. Transient state (sessions, crypto
/// objects) lives here and is dropped at deselect. Handlers answer status words; nothing here throws on card input.
/// </summary>
internal sealed class Se05xApplet
{
    /// <summary>At most 2 sessions at once (se05x-facts.md §5, [H]); a third CreateSession gets 6A84 (transient memory full).</summary>
    public const int MaxSessions = 2;

    /// <summary>Crypto object allocations per selection (ours: transient memory is freed only at deselect, AN12413 DeleteCryptoObject).</summary>
    public const int CryptoObjectBudget = 8;

    private const byte InsWrite = 0x01;
    private const byte InsRead = 0x02;
    private const byte InsCrypto = 0x03;
    private const byte InsMgmt = 0x04;
    private const byte InsProcess = 0x05;
    private const byte FlagAuthObject = 0x40;
    private const byte FlagAttest = 0x20;

    public Se05xApplet(Se05xCardOptions options, I2cmController i2cm)
    {
        Options = options;
        I2cm = i2cm;
    }

    public Se05xCardOptions Options { get; }

    public I2cmController I2cm { get; }

    /// <summary>Gets the answer buffer of the command being handled.</summary>
    public Se05xReply Reply { get; } = new(65536 + 64);

    public List<Se05xAppletSession> Sessions { get; } = [];

    public List<Se05xCryptoObject> CryptoObjects { get; } = [];

    /// <summary>Gets or sets how many crypto objects were allocated since the applet was selected.</summary>
    public int CryptoAllocations { get; set; }

    /// <summary>Gets or sets the NVM writes NXP flags for crypto objects and MAC runs (se05x-facts.md §8), kept in RAM.</summary>
    public long CryptoObjectWrites { get; set; }

    /// <summary>Gets the largest command payload: 892 on applet 3.x (SE050), 1024 on 7.x (SE051) (se05x_const.h).</summary>
    public static int MaxPayload(Se05xState state) => state.AppletMajor >= 7 ? 1024 : 892;

    /// <summary>Drops the transient state (deselect or reset).</summary>
    public void Deselect()
    {
        Sessions.Clear();
        CryptoObjects.Clear();
        CryptoAllocations = 0;
    }

    /// <summary>
    /// Handles one command APDU in the default session. The answer (data and status word) goes to
    /// <paramref name="output"/>; <paramref name="effectiveSw"/> is the status word of the command that ran (the inner one
    /// for ProcessSessionCmd), which decides whether the transaction is kept.
    /// </summary>
    public int Process(Se05xTransaction tx, byte[] apdu, in CommandApduView view, Span<byte> output, out ushort effectiveSw)
    {
        var call = new Se05xCall(this, tx)
        {
            Cla = view.Cla,
            Ins = view.Ins,
            P1 = view.P1,
            P2 = view.P2,
            Nc = view.Nc,
            Data = apdu.AsSpan(view.DataOffset, view.Nc).ToArray(),
        };

        if (view.Nc > MaxPayload(tx.View))
        {
            effectiveSw = Se05xSw.WrongLength;
            return Sw(output, 0, effectiveSw);
        }

        ushort sw = call.Tlvs.Parse(apdu, view.DataOffset, view.Nc);
        if (sw == 0 && view.Cla != 0x80)
        {
            sw = Se05xSw.ClaNotSupported;
        }

        if (sw == 0 && (view.Ins & 0x1F) == InsProcess && (view.Ins & 0xE0) == 0)
        {
            return Se05xSessionCommands.Process(call, apdu, view, output, out effectiveSw);
        }

        Reply.Clear();
        effectiveSw = sw != 0 ? sw : Dispatch(call);
        return Answer(effectiveSw, output);
    }

    /// <summary>Runs a parsed command (its TLVs already read) in the call's session.</summary>
    public ushort Dispatch(Se05xCall call)
    {
        byte flags = (byte)(call.Ins & 0xE0);
        switch (call.Ins & 0x1F)
        {
            case InsWrite when flags is 0 or FlagAuthObject:
                return Se05xWriteCommands.Handle(call);
            case InsRead when flags is 0 or FlagAttest:
                return Se05xReadCommands.Handle(call);
            case InsCrypto when flags is 0 or FlagAttest:
                return Se05xCryptoCommands.Handle(call);
            case InsMgmt when flags == 0:
                return Se05xManageCommands.Handle(call);
            case InsProcess when flags == 0:
                // ProcessSessionCmd nests no further: the inner command must be a plain applet command.
                return Se05xSw.ConditionsNotSatisfied;
            default:
                return Se05xSw.InsNotSupported;
        }
    }

    /// <summary>Copies the reply data (only on 9000: an error answer carries no data) and the status word.</summary>
    public int Answer(ushort sw, Span<byte> output)
    {
        int n = 0;
        if (sw == Se05xSw.Ok)
        {
            Reply.Buffer.AsSpan(0, Reply.Length).CopyTo(output);
            n = Reply.Length;
        }

        return n + Sw(output, n, sw);
    }

    public static int Sw(Span<byte> output, int at, ushort sw)
    {
        output[at] = (byte)(sw >> 8);
        output[at + 1] = (byte)sw;
        return 2;
    }

    /// <summary>Draws random bytes from the card's source.</summary>
    public byte[] Random(int count)
    {
        byte[] b = new byte[count];
        Options.Random(b);
        return b;
    }
}
