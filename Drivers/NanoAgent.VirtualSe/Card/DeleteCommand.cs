using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// DELETE (GPC v2.3.1 §11.2, INS 'E4'), P1 '00' (last or only command). Two forms:
/// <list type="bullet">
/// <item>'4F' AID: deletes an application, SSD or load file that the session's security domain owns (the ISD owns all,
/// <see cref="GpPrivileges.Owns"/>), never the ISD. An entry with related entries (an SSD's associated entries, a load
/// file's instances) is refused with '6985' unless P2 = '80' "delete object and related object" (§11.2.2.2), which
/// deletes them all. Entries selected on a channel are refused ('6985').</item>
/// <item>'D2' key version number (§11.2.2.3, Table 11-22; 'D0' key identifier is refused: only whole key sets here):
/// deletes a key set of the SD (or of the INSTALL [for personalization] target); its last key set is refused ('6985').</item>
/// </list>
/// A domain with Delegated Management only needs its owner's token in tag '9E' after the AID and answers with a receipt
/// (<see cref="DelegatedManagement"/>, <see cref="ReceiptBuilder"/>).
/// Response (§11.2.3): the single byte '00' (no delete confirmation).
/// </summary>
internal static class DeleteCommand
{
    public static CardReply Process(in ManagementContext context, in CardCommand command, Span<byte> output)
    {
        if (command.P1 != 0x00 || command.P2 is not (0x00 or 0x80))
        {
            return CardReply.Status(StatusWords.WrongP1P2);
        }

        ReadOnlySpan<byte> data = command.Data;
        if (!DelegatedManagement.SplitDeleteData(data, out int entryLength, out Range token))
        {
            return CardReply.Status(StatusWords.WrongData);
        }

        bool delegated = DelegatedManagement.NeedsToken(context.Sd) && data[0] == 0x4F;
        if (delegated)
        {
            // GPC C.4.5: the delete token signs P1 | P2 | L | '4F' L AID.
            ushort verified = DelegatedManagement.Verify(context, command.P1, command.P2, data[..entryLength], data[token]);
            if (verified != StatusWords.Ok)
            {
                return CardReply.Status(verified);
            }
        }
        else if (entryLength != data.Length)
        {
            return CardReply.Status(StatusWords.WrongData);
        }

        data = data[..entryLength];
        if (data.Length < 3 || data[1] != data.Length - 2)
        {
            return CardReply.Status(StatusWords.WrongData);
        }

        ushort sw = data[0] switch
        {
            0x4F => DeleteEntry(context, data[2..], command.P2 == 0x80),
            0xD2 when data[1] == 1 => DeleteKeySet(context, data[2]),
            _ => StatusWords.WrongData,
        };
        if (sw != StatusWords.Ok)
        {
            return CardReply.Status(sw);
        }

        if (delegated)
        {
            // GPC C.5.4: a delegated DELETE answers with a receipt for the owner.
            int written = ReceiptBuilder.Write(context, data[2..].ToArray(), null, output);
            return written < 0 ? CardReply.Status(StatusWords.MemoryFailure) : CardReply.Data(written);
        }

        output[0] = 0x00;
        return CardReply.Data(1);
    }

    private static ushort DeleteEntry(in ManagementContext context, ReadOnlySpan<byte> aid, bool related)
    {
        CardState state = context.State;
        RegistryEntry? target = aid.Length is >= 5 and <= 16 ? state.Find(aid) : null;
        if (target is null)
        {
            return StatusWords.ReferencedDataNotFound;
        }

        if (target.Kind == RegistryEntryKind.IssuerSecurityDomain)
        {
            return StatusWords.ConditionsNotSatisfied;
        }

        if (!GpPrivileges.Owns(context.Sd, target))
        {
            return StatusWords.SecurityStatusNotSatisfied;
        }

        var doomed = new List<RegistryEntry> { target };
        for (int i = 0; i < doomed.Count; i++)
        {
            foreach (RegistryEntry e in state.Entries)
            {
                if (!doomed.Contains(e) && IsRelated(doomed[i], e))
                {
                    doomed.Add(e);
                }
            }
        }

        if (doomed.Count > 1 && !related)
        {
            return StatusWords.ConditionsNotSatisfied;
        }

        foreach (RegistryEntry e in doomed)
        {
            if (ReferenceEquals(e, context.Sd) || context.Card.IsSelectedAnywhere(e))
            {
                return StatusWords.ConditionsNotSatisfied;
            }
        }

        state.Entries.RemoveAll(doomed.Contains);
        return context.Commit();
    }

    private static bool IsRelated(RegistryEntry parent, RegistryEntry e) =>
        (parent.IsSecurityDomain && e.AssociatedSecurityDomain is { } sd && sd.AsSpan().SequenceEqual(parent.Aid))
        || (parent.Kind == RegistryEntryKind.ExecutableLoadFile && e.ExecutableLoadFile is { } elf && elf.AsSpan().SequenceEqual(parent.Aid));

    private static ushort DeleteKeySet(in ManagementContext context, byte keyVersion)
    {
        SecurityDomainData? domain = context.KeyTarget.Domain;
        KeySetRecord? keySet = keyVersion == 0 ? null : domain?.KeySets.Find(k => k.KeyVersion == keyVersion);
        if (domain is null || keySet is null)
        {
            return StatusWords.ReferencedDataNotFound;
        }

        if (domain.KeySets.Count == 1)
        {
            // A security domain must keep a way in: its last key set stays.
            return StatusWords.ConditionsNotSatisfied;
        }

        domain.KeySets.Remove(keySet);
        return context.Commit();
    }
}
