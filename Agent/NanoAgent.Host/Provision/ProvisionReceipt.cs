using System.Text.Json;
using System.Text.Json.Nodes;

namespace NanoAgent.Host.Provision;

/// <summary>
/// The receipt of a console run (docs/provisioning.md §4): bundle, device, time, per-tenant outcome and step counts, each
/// item's encoded result (so each tenant's backend can verify its R-MACs later), and the SE's CPLC and serial.
/// </summary>
public static class ProvisionReceipt
{
    /// <summary>Builds the receipt JSON.</summary>
    /// <param name="bundle">The bundle.</param>
    /// <param name="records">What became of each item, in order.</param>
    /// <param name="identity">The SE identity, or null if the bundle had no CPLC step or it did not run.</param>
    /// <param name="started">When the run started.</param>
    /// <returns>The receipt.</returns>
    public static JsonObject Build(ProvisionBundle bundle, IReadOnlyList<ItemRecord> records, SeIdentity? identity, DateTimeOffset started)
    {
        var tenants = new JsonArray();
        foreach (IGrouping<string, ItemRecord> group in records.GroupBy(r => r.Item.Tenant))
        {
            ItemRecord? bad = group.FirstOrDefault(r => !r.Completed);
            tenants.Add(new JsonObject
            {
                ["tenant"] = group.Key, ["outcome"] = bad is null ? "completed" : bad.Outcome,
                ["items"] = group.Count(), ["itemsCompleted"] = group.Count(r => r.Completed),
                ["steps"] = group.Sum(r => r.Item.StepCount), ["stepsPassed"] = group.Sum(r => r.StepsPassed),
            });
        }

        var items = new JsonArray();
        foreach (ItemRecord r in records)
        {
            items.Add(new JsonObject
            {
                ["order"] = r.Item.Order, ["tenant"] = r.Item.Tenant, ["scriptId"] = r.Item.ScriptIdHex, ["outcome"] = r.Outcome,
                ["source"] = r.Source, ["steps"] = r.Item.StepCount, ["stepsPassed"] = r.StepsPassed,
                ["result"] = r.Raw is null ? null : Convert.ToHexString(r.Raw),
            });
        }

        JsonObject? se = null;
        if (identity is not null)
        {
            var fields = new JsonObject();
            foreach (var (name, value) in identity.Fields)
            {
                fields[name] = value;
            }

            se = new JsonObject { ["serial"] = identity.IcSerial, ["cplc"] = Convert.ToHexString(identity.Cplc), ["fields"] = fields };
        }

        return new JsonObject
        {
            ["bundleId"] = bundle.BundleId, ["device"] = bundle.Device, ["started"] = started.ToString("O"),
            ["finished"] = DateTimeOffset.UtcNow.ToString("O"), ["complete"] = records.All(r => r.Completed),
            ["tenants"] = tenants, ["items"] = items, ["se"] = se,
        };
    }

    /// <summary>Writes the receipt (through a temporary file, so a crash never leaves half a receipt).</summary>
    /// <param name="path">The receipt file.</param>
    /// <param name="receipt">The receipt.</param>
    public static void Write(string path, JsonObject receipt)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, receipt.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, path, overwrite: true);
    }
}
