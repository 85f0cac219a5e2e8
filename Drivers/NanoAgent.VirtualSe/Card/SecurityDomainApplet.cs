using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// The behaviour of the ISD and of Supplementary Security Domains: FCI on SELECT (GPC v2.3.1 §11.9.3.1), GET DATA
/// (§11.3) and GET STATUS (§11.4). Secure channel commands (INITIALIZE UPDATE, EXTERNAL AUTHENTICATE) and card content
/// management are not implemented yet: they answer '6D00', and commands with secure messaging answer '6882'.
/// </summary>
public sealed class SecurityDomainApplet : ICardApplet
{
    private const byte InsGetData = 0xCA;
    private const byte InsGetDataOdd = 0xCB;
    private const byte InsGetStatus = 0xF2;

    private readonly CardState _state;

    /// <summary>Creates the applet over the card state.</summary>
    /// <param name="state">The card state.</param>
    public SecurityDomainApplet(CardState state)
    {
        _state = state;
    }

    /// <inheritdoc />
    public CardReply Select(RegistryEntry entry, LogicalChannel channel, Span<byte> output)
    {
        channel.AppletState = new SecurityDomainSession();

        // GPC §11.9.3.1: '6F' { '84' AID, 'A5' { '9F65' maximum command data length } }.
        // '9F65' = 'FF': the card accepts up to 255 data bytes (short APDUs).
        Span<byte> content = output[TlvBytes.HeaderRoom..];
        int at = TlvBytes.Write(content, 0x84, entry.Aid);
        at += TlvBytes.Write(content[at..], 0xA5, [0x9F, 0x65, 0x01, 0xFF]);
        return CardReply.Data(TlvBytes.Wrap(output, 0x6F, at));
    }

    /// <inheritdoc />
    public CardReply Process(in CardCommand command, LogicalChannel channel, Span<byte> output)
    {
        var session = channel.AppletState as SecurityDomainSession ?? new SecurityDomainSession();
        channel.AppletState = session;
        if (command.Ins != InsGetStatus)
        {
            // GPC §11.4.2.2: "next occurrence" continues the previous GET STATUS only.
            session.StatusRemaining = null;
        }

        if (_state.LifeCycle == CardLifeCycle.Terminated && command.Ins is not (InsGetData or InsGetDataOdd))
        {
            // GPC §5.1.1.5: a TERMINATED card answers GET DATA only.
            return CardReply.Status(StatusWords.ConditionsNotSatisfied);
        }

        if (command.Class.SecureMessaging)
        {
            return CardReply.Status(StatusWords.SecureMessagingNotSupported);
        }

        switch (command.Ins)
        {
            case InsGetData:
            case InsGetDataOdd:
                return GetDataCommand.Process(_state, command, output);
            case InsGetStatus:
                // GPC §11.4.1: GET STATUS is a GlobalPlatform (proprietary class) command.
                return command.Class.IsProprietary
                    ? GetStatusCommand.Process(_state, session, command, output)
                    : CardReply.Status(StatusWords.ClaNotSupported);
            default:
                return CardReply.Status(StatusWords.InsNotSupported);
        }
    }

    /// <inheritdoc />
    public void Deselect(LogicalChannel channel)
    {
        // Nothing to release beyond the session the card manager clears.
    }
}
