using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// INSTALL (GPC v2.3.1 §11.5, INS 'E6', P2 '00'), two forms:
/// <list type="bullet">
/// <item>P1 '0C' [for install and make selectable] (§11.5.2.3.2): load file AID, module AID, instance AID, privileges
/// (1 or 3 bytes), install parameters ('C9' …), token (must be empty: no delegated management here), each preceded by its
/// length. Needs Authorized Management (the ISD has it), or Delegated Management with a token of the owner
/// (<see cref="DelegatedManagement"/>; the response is then a receipt, <see cref="ReceiptBuilder"/>); an SSD may grant only privileges it holds and the new entry is
/// associated with it. Privilege byte 1 b8 (Security Domain) makes an SSD with no keys yet; give it its first key set by
/// INSTALL [for personalization] and PUT KEY in the installing SD's session (our documented choice; 'C9' is not read).
/// The instance is SELECTABLE ('07').</item>
/// <item>P1 '20' [for personalization] (§11.5.2.3.4): '00' '00' Lapp AID '00' '00' '00': later PUT KEY, DELETE [key] and
/// STORE DATA of this session apply to that SSD, which the session's SD must own; STORE DATA for an application whose
/// applet is an <see cref="IPersonalizedApplet"/> (the gate) is forwarded to it.</item>
/// </list>
/// Response (§11.5.3): the single byte '00'.
/// </summary>
internal static class InstallCommand
{
    private const byte ForInstallAndMakeSelectable = 0x0C;
    private const byte ForPersonalization = 0x20;

    public static CardReply Process(in ManagementContext context, in CardCommand command, Span<byte> output)
    {
        if (command.P2 != 0x00 || command.P1 is not (ForInstallAndMakeSelectable or ForPersonalization))
        {
            return CardReply.Status(StatusWords.WrongP1P2);
        }

        ReadOnlySpan<byte> data = command.Data;
        Span<Range> fields = stackalloc Range[6];
        int at = 0;
        for (int i = 0; i < fields.Length; i++)
        {
            if (at >= data.Length || data.Length - at - 1 < data[at])
            {
                return CardReply.Status(StatusWords.WrongData);
            }

            fields[i] = new Range(at + 1, at + 1 + data[at]);
            at += 1 + data[at];
        }

        if (at != data.Length)
        {
            return CardReply.Status(StatusWords.WrongData);
        }

        ushort sw = command.P1 == ForPersonalization
            ? Personalize(context, data, fields)
            : Install(context, data, fields);
        if (sw != StatusWords.Ok)
        {
            return CardReply.Status(sw);
        }

        if (command.P1 == ForInstallAndMakeSelectable && DelegatedManagement.NeedsToken(context.Sd))
        {
            // GPC C.5.2: a delegated INSTALL answers with a receipt for the owner.
            int written = ReceiptBuilder.Write(context, data[fields[0]].ToArray(), data[fields[2]].ToArray(), output);
            return written < 0 ? CardReply.Status(StatusWords.MemoryFailure) : CardReply.Data(written);
        }

        output[0] = 0x00;
        return CardReply.Data(1);
    }

    private static ushort Personalize(in ManagementContext context, ReadOnlySpan<byte> data, ReadOnlySpan<Range> f)
    {
        if (data[f[0]].Length != 0 || data[f[1]].Length != 0 || data[f[3]].Length != 0 || data[f[4]].Length != 0 || data[f[5]].Length != 0)
        {
            return StatusWords.WrongData;
        }

        RegistryEntry? target = context.State.Find(data[f[2]]);
        if (target is null)
        {
            return StatusWords.ReferencedDataNotFound;
        }

        if (!GpPrivileges.Owns(context.Sd, target))
        {
            return StatusWords.SecurityStatusNotSatisfied;
        }

        bool personalizedApp = target.Kind == RegistryEntryKind.Application
            && context.Card.AppletFor(target) is IPersonalizedApplet;
        if (target.Kind != RegistryEntryKind.SecurityDomain && !personalizedApp)
        {
            // SSDs, and applications whose applet takes STORE DATA (IPersonalizedApplet, GPC §11.11.2), only.
            return StatusWords.ConditionsNotSatisfied;
        }

        context.Session.PersonalizationTarget = target;
        context.Session.StoreDataNextBlock = 0;
        return StatusWords.Ok;
    }

    private static ushort Install(in ManagementContext context, ReadOnlySpan<byte> data, ReadOnlySpan<Range> f)
    {
        CardState state = context.State;
        RegistryEntry sd = context.Sd;
        bool delegated = DelegatedManagement.NeedsToken(sd);
        if (!GpPrivileges.IsIsd(sd) && !GpPrivileges.Has(sd, 1, GpPrivileges.AuthorizedManagement) && !delegated)
        {
            return StatusWords.SecurityStatusNotSatisfied;
        }

        if (state.LifeCycle is CardLifeCycle.CardLocked or CardLifeCycle.Terminated)
        {
            return StatusWords.ConditionsNotSatisfied;
        }

        ReadOnlySpan<byte> elfAid = data[f[0]], moduleAid = data[f[1]], instanceAid = data[f[2]];
        ReadOnlySpan<byte> privileges = data[f[3]], parameters = data[f[4]], token = data[f[5]];
        if (instanceAid.Length is < 5 or > 16 || privileges.Length is not (1 or 3) || (token.Length != 0 && !delegated)
            || (parameters.Length > 0 && parameters[0] != 0xC9))
        {
            return StatusWords.WrongData;
        }

        // GPC C.4.2: the token signs P1 | P2 | L | the data before the token length byte.
        if (delegated && DelegatedManagement.Verify(context, ForInstallAndMakeSelectable, 0x00, data[..(f[5].Start.Value - 1)], token) != StatusWords.Ok)
        {
            return StatusWords.SecurityStatusNotSatisfied;
        }

        RegistryEntry? elf = state.Find(elfAid);
        byte[] module = moduleAid.ToArray();
        if (elf is null || elf.Kind != RegistryEntryKind.ExecutableLoadFile
            || !elf.Modules.Exists(m => m.AsSpan().SequenceEqual(module)))
        {
            return StatusWords.ReferencedDataNotFound;
        }

        if (state.Find(instanceAid) is not null)
        {
            return StatusWords.ConditionsNotSatisfied;
        }

        byte[] granted = new byte[3];
        privileges.CopyTo(granted);
        if (!GpPrivileges.CanGrant(sd, granted))
        {
            return StatusWords.SecurityStatusNotSatisfied;
        }

        bool isSd = (granted[0] & GpPrivileges.SecurityDomain) != 0;
        state.Entries.Add(new RegistryEntry
        {
            Aid = instanceAid.ToArray(),
            Kind = isSd ? RegistryEntryKind.SecurityDomain : RegistryEntryKind.Application,
            LifeCycle = EntryLifeCycle.Selectable,
            Privileges = granted,
            AssociatedSecurityDomain = sd.Aid.ToArray(),
            ExecutableLoadFile = elf.Aid.ToArray(),
            Domain = isSd ? new SecurityDomainData() : null,
        });
        return context.Commit();
    }
}
