using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// The behaviour of an application that has no registered applet: it can be selected (FCI '6F' { '84' AID },
/// the ISO/IEC 7816-4 FCI template) and answers every other command with '6D00' (instruction not supported).
/// </summary>
public sealed class InertApplet : ICardApplet
{
    /// <inheritdoc />
    public CardReply Select(RegistryEntry entry, LogicalChannel channel, Span<byte> output)
    {
        int at = TlvBytes.Write(output[TlvBytes.HeaderRoom..], 0x84, entry.Aid);
        return CardReply.Data(TlvBytes.Wrap(output, 0x6F, at));
    }

    /// <inheritdoc />
    public CardReply Process(in CardCommand command, LogicalChannel channel, Span<byte> output) =>
        CardReply.Status(StatusWords.InsNotSupported);

    /// <inheritdoc />
    public void Deselect(LogicalChannel channel)
    {
    }
}
