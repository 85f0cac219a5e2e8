using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;

namespace NanoAgent.Host.Gp;

/// <summary>Prints each APDU of a session: <c>&gt;</c> clear command, <c>&gt;&gt;</c> as sent when wrapped, <c>&lt;</c> clear response.</summary>
public sealed class GpTextTrace(TextWriter output) : IGpSessionTrace
{
    /// <inheritdoc />
    public void Command(byte[] plain, int plainOffset, int plainCount, byte[] wire, int wireOffset, int wireCount)
    {
        output.WriteLine("  > " + Convert.ToHexString(plain, plainOffset, plainCount));
        if (!ReferenceEquals(plain, wire) || plainOffset != wireOffset || plainCount != wireCount)
        {
            output.WriteLine("  >> " + Convert.ToHexString(wire, wireOffset, wireCount));
        }
    }

    /// <inheritdoc />
    public void Response(byte[] response, int offset, int count)
    {
        if (count > 2)
        {
            output.WriteLine("  < " + Convert.ToHexString(response, offset, count - 2));
        }

        output.WriteLine("  < " + StatusWordText.Describe(StatusWord.Read(response, offset, count)));
    }
}
