using System.Text;

namespace NanoAgent.Host.Fleet;

/// <summary>Scripts for the campaign bench and tests: steps the tenant's own SD takes in its SCP03 session.</summary>
public static class FleetScripts
{
    /// <summary>The SD AID the simulator installs by default.</summary>
    public const string DefaultSd = "A0000001515350410A";

    /// <summary>Writes a script of <paramref name="steps"/> steps: STORE DATA of one small object each (GPC v2.3.1 §11.11,
    /// P1 '90': last block, BER-TLV; tags 'DF20'-'DF2F'), and a GET DATA of the first object last. Each STORE DATA that
    /// reaches a card is counted by the simulator, so a test sees on the SE how often the script ran.</summary>
    /// <param name="steps">Steps, 2 to 1000.</param>
    /// <param name="sd">The SD AID in hex.</param>
    /// <param name="value">The byte stored (to tell campaigns apart).</param>
    /// <returns>The script text.</returns>
    public static string StoreData(int steps, string sd = DefaultSd, byte value = 0x01)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var text = new StringBuilder($"# {steps} steps: {steps - 1} x STORE DATA, then GET DATA\nsd {sd}\n");
        for (int i = 0; i < steps - 1; i++)
        {
            text.Append($"80E2900004DF{0x20 + (i % 16):X2}01{value:X2}\n");
        }

        text.Append("80CADF2000\n");
        return text.ToString();
    }
}
