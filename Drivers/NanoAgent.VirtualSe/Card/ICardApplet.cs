using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// The behaviour behind a selected registry entry. The card manager handles MANAGE CHANNEL, SELECT by name and GET
/// RESPONSE itself and hands every other command on a channel to the applet of the entry selected there. Security
/// domains use <see cref="SecurityDomainApplet"/>; applications get the applet registered for their AID
/// (<see cref="CardManager.RegisterApplet"/>) or <see cref="InertApplet"/>.
/// </summary>
public interface ICardApplet
{
    /// <summary>Called when <paramref name="entry"/> becomes selected on <paramref name="channel"/>; writes the FCI.</summary>
    /// <param name="entry">The entry being selected.</param>
    /// <param name="channel">The channel it is selected on; <see cref="LogicalChannel.AppletState"/> is empty.</param>
    /// <param name="output">Buffer for the response data.</param>
    /// <returns>The reply; a status other than '9000' or a '62xx'/'63xx' warning rejects the selection.</returns>
    CardReply Select(RegistryEntry entry, LogicalChannel channel, Span<byte> output);

    /// <summary>Processes one command for the entry selected on the command's channel.</summary>
    /// <param name="command">The command.</param>
    /// <param name="channel">The channel, with the selected entry and the applet's per-channel state.</param>
    /// <param name="output">Buffer for the response data (at least 64 KiB).</param>
    /// <returns>The reply.</returns>
    CardReply Process(in CardCommand command, LogicalChannel channel, Span<byte> output);

    /// <summary>Called when the entry stops being selected on a channel (other SELECT, channel closed, reset).</summary>
    /// <param name="channel">The channel; its <see cref="LogicalChannel.AppletState"/> is cleared afterwards.</param>
    void Deselect(LogicalChannel channel);
}
