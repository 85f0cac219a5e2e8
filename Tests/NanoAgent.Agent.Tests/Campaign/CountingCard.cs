using System.Buffers.Binary;
using NanoAgent.VirtualSe.Card;

namespace NanoAgent.Agent.Tests.Campaign;

/// <summary>
/// A card whose commands have one observable effect each: SELECT answers 9000; a proprietary command
/// <c>80 E2 00 00 06 script(4) step(2)</c> counts one application of that (script, step). Its counts survive resets,
/// like persistent card state.
/// </summary>
public sealed class CountingCard : IApduProcessor
{
    public Dictionary<(int Script, int Step), int> Applied { get; } = [];

    public static byte[] Step(int script, int step)
    {
        byte[] c = [0x80, 0xE2, 0x00, 0x00, 0x06, 0, 0, 0, 0, 0, 0];
        BinaryPrimitives.WriteInt32BigEndian(c.AsSpan(5), script);
        BinaryPrimitives.WriteUInt16BigEndian(c.AsSpan(9), (ushort)step);
        return c;
    }

    public int Process(ReadOnlySpan<byte> command, Span<byte> response)
    {
        if (command.Length == 11 && command[1] == 0xE2)
        {
            var key = (BinaryPrimitives.ReadInt32BigEndian(command[5..]), (int)BinaryPrimitives.ReadUInt16BigEndian(command[9..]));
            Applied[key] = Applied.GetValueOrDefault(key) + 1;
        }

        // SELECT (ISO/IEC 7816-4 §7.1.1) and the step both succeed with no data.
        response[0] = 0x90;
        response[1] = 0x00;
        return 2;
    }

    public void Reset()
    {
    }
}
