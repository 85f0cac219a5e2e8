using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// GET STATUS (GPC v2.3.1 §11.4, INS 'F2'). P1 picks the subset (§11.4.2.1: '80' ISD, '40' applications and SSDs,
/// '20' load files, '10' load files with their modules); P2 b2 the response format (§11.4.2.2: '02' tag list in 'E3'
/// templates, '00' the deprecated fixed format) and b1 first ('0') or next ('1') occurrence. The data field starts with
/// the search qualifier '4F' and an AID prefix ('4F00' matches all; further criteria are ignored). Entries that do not
/// fit the response length are left for "next occurrence" and announced by '6310' (§11.4.3).
/// </summary>
internal static class GetStatusCommand
{
    private const byte SubsetIsd = 0x80;
    private const byte SubsetApplications = 0x40;
    private const byte SubsetLoadFiles = 0x20;
    private const byte SubsetLoadFilesAndModules = 0x10;
    private const byte TagFormat = 0x02;
    private const byte NextOccurrence = 0x01;

    public static CardReply Process(CardState state, RegistryEntry sd, SecurityDomainSession session, in CardCommand cmd, Span<byte> output)
    {
        byte p1 = cmd.P1;
        if (p1 is not (SubsetIsd or SubsetApplications or SubsetLoadFiles or SubsetLoadFilesAndModules)
            || (cmd.P2 & ~(TagFormat | NextOccurrence)) != 0)
        {
            return CardReply.Status(StatusWords.WrongP1P2);
        }

        ReadOnlySpan<byte> data = cmd.Data;
        if (data.Length < 2 || data[0] != 0x4F || data[1] > 16 || data.Length < 2 + data[1])
        {
            return CardReply.Status(StatusWords.WrongData);
        }

        ReadOnlySpan<byte> prefix = data.Slice(2, data[1]);
        bool tagFormat = (cmd.P2 & TagFormat) != 0;
        List<RegistryEntry> matches;
        if ((cmd.P2 & NextOccurrence) != 0)
        {
            if (session.StatusRemaining is null || session.StatusP1 != p1 || session.StatusTagFormat != tagFormat)
            {
                // Nothing to continue: no GET STATUS with the same subset and format answered '6310' before.
                return CardReply.Status(StatusWords.ConditionsNotSatisfied);
            }

            matches = session.StatusRemaining;
        }
        else
        {
            matches = [];
            foreach (RegistryEntry e in state.Entries)
            {
                if (InSubset(e, p1) && e.Aid.AsSpan().StartsWith(prefix) && Visible(sd, e))
                {
                    matches.Add(e);
                }
            }
        }

        session.StatusRemaining = null;
        if (matches.Count == 0)
        {
            return CardReply.Status(StatusWords.ReferencedDataNotFound);
        }

        // Each page holds what fits in the response length, and at least one entry (GET RESPONSE carries an oversize one).
        int limit = cmd.MaxResponseLength;
        int at = 0, taken = 0;
        while (taken < matches.Count)
        {
            int size = tagFormat
                ? WriteTagged(state, matches[taken], p1, output[at..])
                : WriteFixed(state, matches[taken], p1, output[at..]);
            if (taken > 0 && at + size > limit)
            {
                break;
            }

            at += size;
            taken++;
        }

        if (taken < matches.Count)
        {
            session.StatusRemaining = matches.GetRange(taken, matches.Count - taken);
            session.StatusP1 = p1;
            session.StatusTagFormat = tagFormat;
            return new CardReply(at, StatusWords.MoreDataAvailable);
        }

        return CardReply.Data(at);
    }

    /// <summary>
    /// GPC §11.4.2 (simplified): the ISD and SDs with Global Registry see every entry; any other SSD sees only the
    /// entries associated with it, so tenants cannot list each other.
    /// </summary>
    private static bool Visible(RegistryEntry sd, RegistryEntry e) =>
        GpPrivileges.IsIsd(sd) || GpPrivileges.Has(sd, 1, GpPrivileges.GlobalRegistry)
        || (e.AssociatedSecurityDomain is { } owner && owner.AsSpan().SequenceEqual(sd.Aid));

    private static bool InSubset(RegistryEntry e, byte p1) => p1 switch
    {
        SubsetIsd => e.Kind == RegistryEntryKind.IssuerSecurityDomain,
        SubsetApplications => e.Kind is RegistryEntryKind.Application or RegistryEntryKind.SecurityDomain,
        _ => e.Kind == RegistryEntryKind.ExecutableLoadFile,
    };

    /// <summary>GPC §11.4.3.1: 'E3' { '4F', '9F70', 'C5', 'C4', '84'…, 'CC' }.</summary>
    private static int WriteTagged(CardState state, RegistryEntry e, byte p1, Span<byte> output)
    {
        Span<byte> c = output[TlvBytes.HeaderRoom..];
        int at = TlvBytes.Write(c, 0x4F, e.Aid);
        at += TlvBytes.Write(c[at..], 0x9F70, state.LifeCycleOf(e));
        if (e.Kind != RegistryEntryKind.ExecutableLoadFile)
        {
            at += TlvBytes.Write(c[at..], 0xC5, e.Privileges);
            if (e.ExecutableLoadFile is { } elf)
            {
                at += TlvBytes.Write(c[at..], 0xC4, elf);
            }
        }
        else if (p1 == SubsetLoadFilesAndModules)
        {
            foreach (byte[] module in e.Modules)
            {
                at += TlvBytes.Write(c[at..], 0x84, module);
            }
        }

        if (e.AssociatedSecurityDomain is { } sd)
        {
            at += TlvBytes.Write(c[at..], 0xCC, sd);
        }

        return TlvBytes.Wrap(output, 0xE3, at);
    }

    /// <summary>
    /// GPC §11.4.3.1 (deprecated format): AID length, AID, life cycle, first privilege byte ('00' for load files);
    /// for P1 '10' also the module count and each module as length and AID.
    /// </summary>
    private static int WriteFixed(CardState state, RegistryEntry e, byte p1, Span<byte> output)
    {
        int at = 0;
        output[at++] = (byte)e.Aid.Length;
        e.Aid.CopyTo(output[at..]);
        at += e.Aid.Length;
        output[at++] = state.LifeCycleOf(e);
        output[at++] = e.Privileges.Length > 0 ? e.Privileges[0] : (byte)0;
        if (p1 == SubsetLoadFilesAndModules)
        {
            output[at++] = (byte)e.Modules.Count;
            foreach (byte[] module in e.Modules)
            {
                output[at++] = (byte)module.Length;
                module.CopyTo(output[at..]);
                at += module.Length;
            }
        }

        return at;
    }
}
