using NanoAgent.Drivers.Apdu;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// The behaviour of the ISD and of Supplementary Security Domains (GPC v2.3.1 §7, GP Amd D): FCI on SELECT (§11.9.3.1),
/// the SCP03 secure channel (INITIALIZE UPDATE, EXTERNAL AUTHENTICATE), secure messaging on every later command of the
/// session, and the commands that read or change the card: GET DATA, GET STATUS, PUT KEY, DELETE, INSTALL, STORE DATA,
/// SET STATUS. Changing commands need an authenticated session with at least C-MAC on a security domain that owns the
/// target (<see cref="GpPrivileges.Owns"/>); a rejected command changes nothing, an accepted one is saved through
/// <see cref="CardManager.Commit"/>.
/// </summary>
public sealed class SecurityDomainApplet : ICardApplet
{
    private const byte InsInitializeUpdate = 0x50;
    private const byte InsExternalAuthenticate = 0x82;
    private const byte InsGetData = 0xCA;
    private const byte InsGetDataOdd = 0xCB;
    private const byte InsGetStatus = 0xF2;
    private const byte InsPutKey = 0xD8;
    private const byte InsDelete = 0xE4;
    private const byte InsInstall = 0xE6;
    private const byte InsStoreData = 0xE2;
    private const byte InsSetStatus = 0xF0;

    private readonly CardManager _card;

    /// <summary>Creates the applet of a card.</summary>
    /// <param name="card">The card manager whose state it reads and commits.</param>
    public SecurityDomainApplet(CardManager card)
    {
        ArgumentNullException.ThrowIfNull(card);
        _card = card;
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
        RegistryEntry sd = channel.Selected!;
        CardState state = _card.State;
        if (command.Ins != InsGetStatus)
        {
            // GPC §11.4.2.2: "next occurrence" continues the previous GET STATUS only.
            session.StatusRemaining = null;
        }

        if (state.LifeCycle == CardLifeCycle.Terminated && command.Ins is not (InsGetData or InsGetDataOdd))
        {
            // GPC §5.1.1.5: a TERMINATED card answers GET DATA only.
            return CardReply.Status(StatusWords.ConditionsNotSatisfied);
        }

        if (command.Class.IsProprietary && command.Ins == InsInitializeUpdate && !command.Class.SecureMessaging)
        {
            return SecureChannelCommands.InitializeUpdate(_card, sd, session, command, output);
        }

        if (command.Class.IsProprietary && command.Ins == InsExternalAuthenticate)
        {
            return SecureChannelCommands.ExternalAuthenticate(_card, session, command);
        }

        if (session.Scp03 is not { State: Scp03.Scp03CardState.Open } scp)
        {
            if (command.Class.SecureMessaging)
            {
                // Secure messaging without an open session (GPC §10.2.3): security status not satisfied.
                session.EndSecureChannel();
                return CardReply.Status(StatusWords.SecurityStatusNotSatisfied);
            }

            return Dispatch(sd, session, command, output);
        }

        // GP Amd D §6.2.4-§6.2.6: unwrap the command at the session's level; any failure ends the session.
        int length = Encode(command, session.Command);
        if (length < 0)
        {
            session.EndSecureChannel();
            return CardReply.Status(StatusWords.WrongLength);
        }

        if (!scp.TryUnwrapCommand(session.Command, 0, length, session.Command, 0, out int plainLength, out ushort error)
            || CommandApduView.TryParse(session.Command, 0, plainLength, out CommandApduView view) != 0
            || !ClassByte.TryDecode(view.Cla, out ClassByte cla))
        {
            session.EndSecureChannel();
            return CardReply.Status(error == StatusWords.Ok ? StatusWords.SecurityStatusNotSatisfied : error);
        }

        var plain = new CardCommand(
            cla, view.Ins, view.P1, view.P2, session.Command.AsSpan(view.DataOffset, view.Nc), view.Ne, view.HasLe, false);
        CardReply reply = Dispatch(sd, session, plain, output);
        if (session.Scp03 is null)
        {
            return reply;
        }

        // Amd D §6.2.5, §6.2.7: R-ENCRYPTION and R-MAC at the session's level.
        session.EnsureResponseRoom(reply.Length);
        output[..reply.Length].CopyTo(session.Plain);
        int wrapped = session.Scp03.WrapResponse(session.Plain, 0, reply.Length, reply.StatusWord, session.Wrapped, 0);
        session.Wrapped.AsSpan(0, wrapped - 2).CopyTo(output);
        return new CardReply(wrapped - 2, reply.StatusWord);
    }

    /// <inheritdoc />
    public void Deselect(LogicalChannel channel)
    {
        // GPC §10.2: the secure channel session ends when its security domain is deselected.
        (channel.AppletState as SecurityDomainSession)?.EndSecureChannel();
    }

    /// <summary>Re-encodes a short command as received (the form its C-MAC covers); -1 for extended or oversize commands.</summary>
    internal static int Encode(in CardCommand command, byte[] buffer)
    {
        if (command.IsExtended || command.Data.Length > 255 || command.Ne > 256)
        {
            return -1;
        }

        int at = 0;
        buffer[at++] = command.Class.Value;
        buffer[at++] = command.Ins;
        buffer[at++] = command.P1;
        buffer[at++] = command.P2;
        if (!command.Data.IsEmpty)
        {
            buffer[at++] = (byte)command.Data.Length;
            command.Data.CopyTo(buffer.AsSpan(at));
            at += command.Data.Length;
        }

        if (command.HasLe)
        {
            buffer[at++] = (byte)(command.Ne == 256 ? 0 : command.Ne);
        }

        return at;
    }

    private CardReply Dispatch(RegistryEntry sd, SecurityDomainSession session, in CardCommand command, Span<byte> output)
    {
        CardState state = _card.State;
        switch (command.Ins)
        {
            case InsGetData:
            case InsGetDataOdd:
                return GetDataCommand.Process(state, sd, command, output);
            case InsGetStatus:
                // GPC §11.4.1: GET STATUS is a GlobalPlatform (proprietary class) command.
                return command.Class.IsProprietary
                    ? GetStatusCommand.Process(state, sd, session, command, output)
                    : CardReply.Status(StatusWords.ClaNotSupported);
            case InsPutKey:
            case InsDelete:
            case InsInstall:
            case InsStoreData:
            case InsSetStatus:
                break;
            default:
                return CardReply.Status(StatusWords.InsNotSupported);
        }

        if (!command.Class.IsProprietary)
        {
            return CardReply.Status(StatusWords.ClaNotSupported);
        }

        if (!session.IsAuthenticated)
        {
            // Card content and key management need an authenticated secure channel (GPC §10.2; at least C-MAC here).
            return CardReply.Status(StatusWords.SecurityStatusNotSatisfied);
        }

        var context = new ManagementContext(_card, sd, session);
        return command.Ins switch
        {
            InsPutKey => PutKeyCommand.Process(context, command, output),
            InsDelete => DeleteCommand.Process(context, command, output),
            InsInstall => InstallCommand.Process(context, command, output),
            InsStoreData => StoreDataCommand.Process(context, command),
            _ => SetStatusCommand.Process(context, command),
        };
    }
}
