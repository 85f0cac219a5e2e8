using NanoAgent.VirtualSe.Card;

namespace NanoAgent.Host.Bench;

/// <summary>A card that answers every command with 9000 and allocates nothing: the cheapest possible responder.</summary>
public sealed class NullProcessor : IApduProcessor
{
    /// <summary>Gets the number of commands processed.</summary>
    public long Commands { get; private set; }

    /// <inheritdoc />
    public int Process(ReadOnlySpan<byte> command, Span<byte> response)
    {
        Commands++;
        response[0] = 0x90;
        response[1] = 0x00;
        return 2;
    }

    /// <inheritdoc />
    public void Reset()
    {
    }
}
