using System.Security.Cryptography;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.RequestKeys;

/// <summary>
/// The request verifier of the virtual SE (docs/protocol.md §3.9): checks a relay request's AES-CMAC with the request key
/// a security domain holds (a key set of version '60'-'6F', put through that domain's own SCP03 session or the owner's),
/// streamed in chunks with VERIFY REQUEST (<see cref="RequestKey.InsVerify"/>), as SE05x crypto objects stream a CMAC
/// (init, update, final). The key never leaves the card; the agent only learns "verified" or not. A card-resident
/// system application: selectable by its AID on any channel, not listed in the registry.
/// </summary>
public sealed class RequestVerifierApplet : ICardApplet
{
    private readonly CardManager _card;

    /// <summary>Creates the applet over a card (whose security domains hold the request keys).</summary>
    /// <param name="card">The card.</param>
    public RequestVerifierApplet(CardManager card)
    {
        ArgumentNullException.ThrowIfNull(card);
        _card = card;
    }

    /// <summary>Creates the applet and makes it selectable at <see cref="RequestKey.VerifierAid"/>.</summary>
    /// <param name="card">The card.</param>
    /// <returns>The applet.</returns>
    public static RequestVerifierApplet Install(CardManager card)
    {
        var applet = new RequestVerifierApplet(card);
        card.RegisterSystemApplet(RequestKey.VerifierAid(), applet);
        return applet;
    }

    /// <inheritdoc />
    public CardReply Select(RegistryEntry entry, LogicalChannel channel, Span<byte> output) => CardReply.Status(StatusWords.Ok);

    /// <inheritdoc />
    public void Deselect(LogicalChannel channel)
    {
    }

    /// <inheritdoc />
    public CardReply Process(in CardCommand command, LogicalChannel channel, Span<byte> output)
    {
        if (command.Ins != RequestKey.InsVerify)
        {
            return CardReply.Status(StatusWords.InsNotSupported);
        }

        if (!command.Class.IsProprietary || command.Class.SecureMessaging)
        {
            return CardReply.Status(StatusWords.ClaNotSupported);
        }

        if (command.P2 != 0 || (command.P1 & ~(RequestKey.First | RequestKey.Last)) != 0)
        {
            return CardReply.Status(StatusWords.WrongP1P2);
        }

        ReadOnlySpan<byte> data = command.Data;
        AesCmac? cmac = channel.AppletState as AesCmac;
        channel.AppletState = null;
        if ((command.P1 & RequestKey.First) != 0)
        {
            ushort sw = Begin(data, out cmac, out int header);
            if (sw != StatusWords.Ok)
            {
                return CardReply.Status(sw);
            }

            data = data[header..];
        }
        else if (cmac is null)
        {
            return CardReply.Status(StatusWords.ConditionsNotSatisfied);
        }

        if ((command.P1 & RequestKey.Last) == 0)
        {
            Update(cmac!, data);
            channel.AppletState = cmac;
            return CardReply.Status(StatusWords.Ok);
        }

        if (data.Length < RequestKey.MacLength)
        {
            return CardReply.Status(StatusWords.WrongData);
        }

        Update(cmac!, data[..^RequestKey.MacLength]);
        byte[] mac = new byte[RequestKey.MacLength];
        cmac!.DoFinal(mac, 0, mac.Length);
        return CardReply.Status(CryptographicOperations.FixedTimeEquals(mac, data[^RequestKey.MacLength..])
            ? StatusWords.Ok
            : StatusWords.SecurityStatusNotSatisfied);
    }

    // First chunk: KVN | L | SD AID, then message bytes.
    private ushort Begin(ReadOnlySpan<byte> data, out AesCmac? cmac, out int header)
    {
        cmac = null;
        header = 0;
        if (data.Length < 2 || !RequestKey.IsRequestKeyVersion(data[0]) || data[1] is < 5 or > 16 || data.Length < 2 + data[1])
        {
            return StatusWords.WrongData;
        }

        byte[] aid = data.Slice(2, data[1]).ToArray();
        RegistryEntry? sd = _card.State.Entries.Find(e => e.IsSecurityDomain && aid.AsSpan().SequenceEqual(e.Aid));
        KeySetRecord? key = sd?.Domain?.FindKeySet(data[0]);
        if (key is null || key.KeyVersion != data[0])
        {
            return StatusWords.ReferencedDataNotFound;
        }

        cmac = new AesCmac(_card.Options.CipherFactory.CreateAes(key.Mac, 0, key.Mac.Length));
        header = 2 + data[1];
        return StatusWords.Ok;
    }

    private static void Update(AesCmac cmac, ReadOnlySpan<byte> data)
    {
        byte[] copy = data.ToArray();
        cmac.Update(copy, 0, copy.Length);
    }
}
