using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Tests.Card;

/// <summary>Sends hex APDUs to a card manager and builds registries for the tests.</summary>
internal static class CardHarness
{
    public const string IsdAid = "A000000151000000";
    public const string AppAid = "F06E616E6F010101";
    public const string ElfAid = "F06E616E6F01";

    /// <summary>GPC v2.3.1 §11.9.3.1: FCI of the ISD with '9F65' = 'FF'.</summary>
    public const string IsdFci = "6F10" + "8408" + IsdAid + "A5049F6501FF";

    public static string Send(this CardManager card, string apdu, int responseSize = 65538)
    {
        var rsp = new byte[responseSize];
        int n = card.Process(Hex.Parse(apdu), rsp);
        return Hex.Of(rsp, 0, n);
    }

    /// <summary>A fresh card plus <paramref name="count"/> SELECTABLE applications with 16-byte AIDs 'D0…00nn'.</summary>
    public static CardState WithApplications(int count)
    {
        CardState state = CardState.CreateFresh();
        for (int i = 0; i < count; i++)
        {
            state.Entries.Add(Application(ExtraAid(i), EntryLifeCycle.Selectable));
        }

        return state;
    }

    public static string ExtraAid(int i) => $"D0000000010000000000000000000{i:X3}";

    public static RegistryEntry Application(string aid, byte lifeCycle) => new()
    {
        Aid = Hex.Parse(aid),
        Kind = RegistryEntryKind.Application,
        LifeCycle = lifeCycle,
        Privileges = [0, 0, 0],
        AssociatedSecurityDomain = Hex.Parse(IsdAid),
    };
}
