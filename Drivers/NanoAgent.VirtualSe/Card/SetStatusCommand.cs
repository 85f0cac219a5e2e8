using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// SET STATUS (GPC v2.3.1 §11.10, INS 'F0'). P1 '80': the card (ISD only, data empty or the ISD AID): P2 '7F' locks
/// (CARD_LOCKED from OP_READY, INITIALIZED or SECURED, §5.1.1.4), '0F' unlocks back to SECURED, 'FF' terminates
/// (§5.1.1.5, irreversible). P1 '40' (an application or SSD) and '60' (an SSD and its associated entries): data is the
/// AID of an entry the session's SD owns; P2 '80' sets the LOCKED bit, '00' clears it (§5.3.2), '0F' moves an SSD to
/// PERSONALIZED, any other 'x7' with b8 clear is an application-specific state of an application (§5.3.1).
/// </summary>
internal static class SetStatusCommand
{
    public static CardReply Process(in ManagementContext context, in CardCommand command)
    {
        ushort sw = command.P1 switch
        {
            0x80 => SetCard(context, command),
            0x40 or 0x60 => SetEntry(context, command, command.P1 == 0x60),
            _ => StatusWords.WrongP1P2,
        };
        return CardReply.Status(sw);
    }

    private static ushort SetCard(in ManagementContext context, in CardCommand command)
    {
        CardState state = context.State;
        if (!GpPrivileges.IsIsd(context.Sd))
        {
            return StatusWords.SecurityStatusNotSatisfied;
        }

        if (!command.Data.IsEmpty && !command.Data.SequenceEqual(context.Sd.Aid))
        {
            return StatusWords.WrongData;
        }

        CardLifeCycle current = state.LifeCycle;
        CardLifeCycle? next = command.P2 switch
        {
            0x7F when current is CardLifeCycle.OpReady or CardLifeCycle.Initialized or CardLifeCycle.Secured => CardLifeCycle.CardLocked,
            0x0F when current == CardLifeCycle.CardLocked => CardLifeCycle.Secured,
            0xFF => CardLifeCycle.Terminated,
            _ => null,
        };
        if (next is null)
        {
            return command.P2 is 0x7F or 0x0F or 0xFF ? StatusWords.ConditionsNotSatisfied : StatusWords.WrongP1P2;
        }

        state.LifeCycle = next.Value;
        return context.Commit();
    }

    private static ushort SetEntry(in ManagementContext context, in CardCommand command, bool withAssociated)
    {
        CardState state = context.State;
        RegistryEntry? target = command.Data.Length is >= 5 and <= 16 ? state.Find(command.Data) : null;
        if (target is null || target.Kind is RegistryEntryKind.ExecutableLoadFile or RegistryEntryKind.IssuerSecurityDomain)
        {
            return StatusWords.ReferencedDataNotFound;
        }

        if (!GpPrivileges.Owns(context.Sd, target))
        {
            return StatusWords.SecurityStatusNotSatisfied;
        }

        if (withAssociated && target.Kind != RegistryEntryKind.SecurityDomain)
        {
            return StatusWords.ConditionsNotSatisfied;
        }

        var changes = new List<(RegistryEntry Entry, byte LifeCycle)>();
        foreach (RegistryEntry e in state.Entries)
        {
            bool associated = withAssociated && e.AssociatedSecurityDomain is { } sd && sd.AsSpan().SequenceEqual(target.Aid);
            if (ReferenceEquals(e, target) || (associated && e.Kind != RegistryEntryKind.ExecutableLoadFile))
            {
                byte? next = Next(e, command.P2);
                if (next is not null)
                {
                    changes.Add((e, next.Value));
                }
                else if (ReferenceEquals(e, target))
                {
                    // The transition is not allowed from the target's state (GPC §5.3); associated entries already there stay.
                    return StatusWords.ConditionsNotSatisfied;
                }
            }
        }

        foreach ((RegistryEntry entry, byte lifeCycle) in changes)
        {
            entry.LifeCycle = lifeCycle;
        }

        return context.Commit();
    }

    private static byte? Next(RegistryEntry e, byte p2)
    {
        bool locked = (e.LifeCycle & EntryLifeCycle.LockedBit) != 0;
        return p2 switch
        {
            EntryLifeCycle.LockedBit when !locked => (byte)(e.LifeCycle | EntryLifeCycle.LockedBit),
            0x00 when locked => (byte)(e.LifeCycle & ~EntryLifeCycle.LockedBit),
            EntryLifeCycle.Personalized when e.Kind == RegistryEntryKind.SecurityDomain && e.LifeCycle == EntryLifeCycle.Selectable
                => EntryLifeCycle.Personalized,
            _ when e.Kind == RegistryEntryKind.Application && !locked && (p2 & 0x87) == 0x07 => p2,
            _ => null,
        };
    }
}
