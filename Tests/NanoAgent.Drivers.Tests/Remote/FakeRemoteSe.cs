using NanoAgent.Drivers.Remote;
using NanoAgent.Drivers.T1;
using NanoAgent.VirtualSe.Bus;

namespace NanoAgent.Drivers.Tests.Remote;

/// <summary>An SE for session tests: answers each APDU with its reversed bytes plus 9000, takes <see cref="DelayMs"/> on the
/// clock, and fails with <see cref="Failure"/> when set.</summary>
public sealed class FakeRemoteSe(VirtualClock clock) : IRemoteSe
{
    public static readonly byte[] Atr = Hex.Parse("3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A");

    public int DelayMs { get; set; }

    public BlockProtocolError? Failure { get; set; }

    public int ColdResets { get; private set; }

    public int WarmResets { get; private set; }

    public List<byte[]> Commands { get; } = [];

    public int ColdReset(byte[] atr, int offset)
    {
        Act();
        ColdResets++;
        Atr.CopyTo(atr, offset);
        return Atr.Length;
    }

    public int WarmReset(byte[] atr, int offset)
    {
        Act();
        WarmResets++;
        Atr.CopyTo(atr, offset);
        return Atr.Length;
    }

    public int Transmit(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
    {
        Act();
        byte[] apdu = command.AsSpan(commandOffset, commandCount).ToArray();
        Commands.Add(apdu);
        for (int i = 0; i < commandCount; i++)
        {
            response[responseOffset + i] = apdu[commandCount - 1 - i];
        }

        response[responseOffset + commandCount] = 0x90;
        response[responseOffset + commandCount + 1] = 0x00;
        return commandCount + 2;
    }

    public string Describe() => "fake SE \"one\" \\ two";

    private void Act()
    {
        clock.Sleep(DelayMs);
        if (Failure is { } error)
        {
            throw new BlockProtocolException(error, $"fake failure {(int)error}");
        }
    }
}
