using NanoAgent.Fleet.Store;

namespace NanoAgent.Fleet.Tests.Store;

/// <summary>Campaign definitions for the store tests.</summary>
internal static class Campaigns
{
    public static CampaignDefinition Define(string name, RolloutRules? rules = null) => new()
    {
        Name = name,
        Tenant = "acme",
        Sd = Convert.FromHexString("A0000001515350410A"),
        KeyVersion = 0x01,
        ScriptName = "rotate.apdu",
        ScriptText = "80CA006600 9000\n",
        Rules = rules ?? new RolloutRules { MaxInFlight = 10, AbortPercent = 50, AbortMinDevices = 4 },
    };

    public static List<string> DeviceIds(int n) => Enumerable.Range(1, n).Select(i => $"meter-{i:D4}").ToList();

    public static CampaignStore Create(FleetDatabase db, string name, int devices, RolloutRules? rules = null)
    {
        var store = new CampaignStore(db);
        store.Create(Define(name, rules), DeviceIds(devices));
        return store;
    }

    public static SentRequest Request(long counter) => new()
    {
        ScriptId = Guid.NewGuid().ToByteArray(), TenantCounter = counter, SequenceCounter = 7, HostChallenge = new byte[16], Request = [0x01, 0xE1, 0x00],
    };
}
