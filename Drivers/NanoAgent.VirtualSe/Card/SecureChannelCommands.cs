using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Scp03;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// INITIALIZE UPDATE (GP Amd D §7.1.1) and EXTERNAL AUTHENTICATE (§7.1.2) of a security domain, over
/// <see cref="Scp03CardSession"/>: picks the key set by key version (P1 '00' = the first), refuses blocked key sets with
/// '6983', persists the sequence counter before the challenge leaves the card, and counts consecutive failed
/// authentications per key set, blocking it at <see cref="CardManagerOptions.MaxFailedAuthentications"/> (persisted).
/// </summary>
internal static class SecureChannelCommands
{
    public static CardReply InitializeUpdate(
        CardManager card, RegistryEntry sd, SecurityDomainSession session, in CardCommand command, Span<byte> output)
    {
        session.EndSecureChannel();
        KeySetRecord? keySet = sd.Domain?.FindScp03KeySet(command.P1);
        if (keySet is null)
        {
            // Amd D §7.1.1.3: '6A88' referenced data (key version) not found.
            return CardReply.Status(StatusWords.ReferencedDataNotFound);
        }

        if (keySet.Blocked)
        {
            return CardReply.Status(StatusWords.AuthenticationBlocked);
        }

        int length = SecurityDomainApplet.Encode(command, session.Command);
        if (length < 0)
        {
            return CardReply.Status(StatusWords.WrongLength);
        }

        var keys = new Scp03StaticKeys(card.Options.CipherFactory, keySet.KeyVersion, keySet.Enc, keySet.Mac, keySet.Dek);
        var options = new Scp03CardOptions
        {
            IParameter = card.Options.Scp03IParameter,
            SecurityDomainAid = sd.Aid,
            KeyDiversificationData = DiversificationData(card.State),
            SequenceCounter = new CardStateSequenceCounterStore(sd.Domain!, card.Commit),
        };
        var scp = new Scp03CardSession(keys, options);
        byte[] response = new byte[64];
        int n = scp.ProcessInitializeUpdate(session.Command, 0, length, response, 0);
        ushort sw = (ushort)((response[n - 2] << 8) | response[n - 1]);
        if (sw != StatusWords.Ok)
        {
            return CardReply.Status(sw);
        }

        session.Scp03 = scp;
        session.KeySet = keySet;
        response.AsSpan(0, n - 2).CopyTo(output);
        return CardReply.Data(n - 2);
    }

    public static CardReply ExternalAuthenticate(CardManager card, SecurityDomainSession session, in CardCommand command)
    {
        if (!command.Class.SecureMessaging)
        {
            // Amd D §7.1.2: EXTERNAL AUTHENTICATE is defined with CLA '84' only. Without secure messaging
            // the card refuses like a GP card (security status not satisfied); no cryptogram was checked, so no failure counts.
            session.EndSecureChannel();
            return CardReply.Status(StatusWords.SecurityStatusNotSatisfied);
        }

        if (session.Scp03 is not { State: Scp03CardState.Initialized } scp || session.KeySet is not { } keySet)
        {
            session.EndSecureChannel();
            return CardReply.Status(StatusWords.ConditionsNotSatisfied);
        }

        int length = SecurityDomainApplet.Encode(command, session.Command);
        byte[] response = new byte[2];
        ushort sw = StatusWords.WrongLength;
        if (length >= 0)
        {
            scp.ProcessExternalAuthenticate(session.Command, 0, length, response, 0);
            sw = (ushort)((response[0] << 8) | response[1]);
        }

        if (sw is StatusWords.AuthenticationFailed or StatusWords.SecurityStatusNotSatisfied)
        {
            // A wrong host cryptogram or C-MAC counts against the key set; the count survives restarts.
            keySet.FailedAuthentications++;
            if (keySet.FailedAuthentications >= card.Options.MaxFailedAuthentications)
            {
                keySet.Blocked = true;
            }

            card.Commit();
        }
        else if (sw == StatusWords.Ok && keySet.FailedAuthentications != 0)
        {
            keySet.FailedAuthentications = 0;
            card.Commit();
        }

        if (sw != StatusWords.Ok)
        {
            session.EndSecureChannel();
        }

        return CardReply.Status(sw);
    }

    /// <summary>The 10 bytes of key diversification data (Amd D §7.1.1.3): the CIN, zero-padded or cut to 10 bytes.</summary>
    private static byte[] DiversificationData(CardState state)
    {
        byte[] data = new byte[10];
        byte[] cin = state.Identity.Cin;
        Array.Copy(cin, data, Math.Min(cin.Length, data.Length));
        return data;
    }
}
