using NanoAgent.Drivers.Tlv;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// STORE DATA (GPC v2.3.1 §11.11, INS 'E2'), minimal: personalisation data of the session's SD (or of the INSTALL [for
/// personalization] target) as BER-TLV objects. P1 b8 marks the last block, b7-b6 must not say "encrypted" ('60'),
/// b5-b4 must be '10' (BER-TLV) or '00' (no information, read as BER-TLV), b3-b1 are RFU; P2 numbers the blocks from '00'
/// (§11.11.2.2). Each top-level object (tag of one or two bytes) replaces the one stored with the same tag, and GET DATA
/// with P1-P2 = that tag returns it. The card's own tags ('9F7F', '66', '42', '45', 'E0') cannot be overwritten.
/// </summary>
internal static class StoreDataCommand
{
    private const byte LastBlock = 0x80;
    private const byte EncryptionMask = 0x60;
    private const byte Encrypted = 0x60;
    private const byte StructureMask = 0x18;
    private const byte BerTlv = 0x10;

    public static CardReply Process(in ManagementContext context, in CardCommand command)
    {
        SecurityDomainSession session = context.Session;
        byte p1 = command.P1;
        if ((p1 & 0x07) != 0 || command.P2 != session.StoreDataNextBlock)
        {
            return CardReply.Status(StatusWords.WrongP1P2);
        }

        if ((p1 & EncryptionMask) == Encrypted || (p1 & StructureMask) is not (0 or BerTlv) || command.Data.IsEmpty)
        {
            return CardReply.Status(StatusWords.WrongData);
        }

        RegistryEntry target = context.KeyTarget;
        if (target.Kind == RegistryEntryKind.Application)
        {
            // GPC §11.11.2: after INSTALL [for personalization] of an application the SD forwards the blocks to it.
            if (context.Card.AppletFor(target) is not IPersonalizedApplet app || session.Scp03 is null)
            {
                return CardReply.Status(StatusWords.ConditionsNotSatisfied);
            }

            CardReply forwarded = app.StoreData(target, context.Sd, session.Scp03.SecurityLevel, command);
            if (forwarded.StatusWord == StatusWords.Ok)
            {
                session.StoreDataNextBlock = (p1 & LastBlock) != 0 ? 0 : (command.P2 + 1) & 0xFF;
            }

            return CardReply.Status(forwarded.StatusWord);
        }

        SecurityDomainData domain = target.Domain ?? new SecurityDomainData();
        byte[] data = command.Data.ToArray();
        var objects = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            var reader = new BerTlvReader(data, 0, data.Length);
            while (reader.Read())
            {
                if (reader.Tag > 0xFFFF || reader.Tag is 0x9F7F or 0x66 or 0x42 or 0x45 or 0xE0)
                {
                    return CardReply.Status(StatusWords.WrongData);
                }

                objects[TagKey(reader.Tag)] = data.AsSpan(reader.Offset, reader.TotalLength).ToArray();
            }
        }
        catch (TlvException)
        {
            return CardReply.Status(StatusWords.WrongData);
        }

        int total = domain.StoredBytes();
        foreach ((string tag, byte[] value) in objects)
        {
            total += value.Length - (domain.StoredData.TryGetValue(tag, out byte[]? old) ? old.Length : 0);
        }

        if (total > SecurityDomainData.MaxStoredBytes)
        {
            return CardReply.Status(StatusWords.NotEnoughMemory);
        }

        foreach ((string tag, byte[] value) in objects)
        {
            domain.StoredData[tag] = value;
        }

        target.Domain = domain;
        ushort saved = context.Commit();
        if (saved == StatusWords.Ok)
        {
            session.StoreDataNextBlock = (p1 & LastBlock) != 0 ? 0 : (command.P2 + 1) & 0xFF;
        }

        return CardReply.Status(saved);
    }

    /// <summary>How a tag is keyed in <see cref="SecurityDomainData.StoredData"/>: upper-case hex, 2 or 4 digits.</summary>
    public static string TagKey(int tag) => tag > 0xFF ? tag.ToString("X4") : tag.ToString("X2");
}
