using NanoAgent.Drivers.Jrcp;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Drivers.Tests.Jrcp;

/// <summary>An SE that answers every APDU with its own bytes then 90 00, records what it saw, and can be made unreachable.</summary>
public sealed class FakeLentSe : ILentSe
{
    public static readonly byte[] Atr = Hex.Parse("00A0000003960403E800FE020B03E8080100000000640000 0A4A434F5034204154504F");

    public List<string> Seen { get; } = [];

    public bool Unreachable { get; set; }

    public int ReadAtr(byte[] buffer, int offset)
    {
        if (Unreachable)
        {
            return 0;
        }

        Array.Copy(Atr, 0, buffer, offset, Atr.Length);
        return Atr.Length;
    }

    public int Transmit(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
    {
        if (Unreachable)
        {
            throw new BlockProtocolException(BlockProtocolError.NoDevice, "no SE");
        }

        lock (Seen)
        {
            Seen.Add(Hex.Of(command, commandOffset, commandCount));
        }

        Array.Copy(command, commandOffset, response, responseOffset, commandCount);
        response[responseOffset + commandCount] = 0x90;
        response[responseOffset + commandCount + 1] = 0x00;
        return commandCount + 2;
    }
}
