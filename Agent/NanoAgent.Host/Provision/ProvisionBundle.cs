using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NanoAgent.Host.Provision;

/// <summary>
/// A provisioning bundle (docs/provisioning.md): ordered, pre-computed tenant scripts for one device, each bound by its
/// SHA-256, the whole signed by the bundle issuer with ECDSA P-256 over <see cref="SignedBytes"/>. The engineer's laptop
/// never holds a tenant key: each script is SCP03-wrapped by its tenant's backend, and the SE checks every C-MAC.
/// </summary>
public sealed class ProvisionBundle
{
    /// <summary>The format name, first line of the signed bytes.</summary>
    public const string Format = "nanoagent-bundle/1";

    /// <summary>The most items a bundle may hold.</summary>
    public const int MaxItems = 256;

    /// <summary>Creates a bundle.</summary>
    /// <param name="bundleId">The bundle id (identifier).</param>
    /// <param name="device">The device id it is made for.</param>
    /// <param name="items">The items, in order 1..n.</param>
    /// <param name="signature">The issuer's signature (64 bytes, r||s), or empty until signed.</param>
    public ProvisionBundle(string bundleId, string device, IReadOnlyList<BundleItem> items, byte[] signature)
    {
        BundleId = bundleId;
        Device = device;
        Items = items;
        Signature = signature;
    }

    /// <summary>Gets the bundle id.</summary>
    public string BundleId { get; }

    /// <summary>Gets the device the bundle is for.</summary>
    public string Device { get; }

    /// <summary>Gets the items, in run order.</summary>
    public IReadOnlyList<BundleItem> Items { get; }

    /// <summary>Gets the issuer's ECDSA P-256 / SHA-256 signature in IEEE P1363 form (r||s, 64 bytes).</summary>
    public byte[] Signature { get; }

    /// <summary>Gets the bytes the issuer signs: UTF-8 lines <c>format</c>, <c>bundleId</c>, <c>device</c>, then one per item
    /// <c>order tenant sdHex scriptIdHex counter sha256Hex</c>, each ending in LF.</summary>
    /// <returns>The signed bytes.</returns>
    public byte[] SignedBytes()
    {
        var text = new StringBuilder();
        text.Append(Format).Append('\n').Append(BundleId).Append('\n').Append(Device).Append('\n');
        foreach (BundleItem item in Items)
        {
            text.Append($"{item.Order} {item.Tenant} {Convert.ToHexString(item.Sd)} {item.ScriptIdHex} {item.Counter} {Convert.ToHexString(item.Sha256)}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Checks the issuer's signature.</summary>
    /// <param name="issuer">The issuer's P-256 public key.</param>
    /// <exception cref="ProvisionBundleException">The signature does not verify (<see cref="ProvisionBundleError.BadSignature"/>).</exception>
    public void VerifySignature(ECDsa issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!issuer.VerifyData(SignedBytes(), Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw new ProvisionBundleException(ProvisionBundleError.BadSignature, "the bundle's signature does not verify with the issuer key: it was altered or signed by someone else");
        }
    }

    /// <summary>Writes the bundle as JSON (docs/provisioning.md §2).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        var items = new JsonArray();
        foreach (BundleItem item in Items)
        {
            items.Add(new JsonObject
            {
                ["order"] = item.Order, ["tenant"] = item.Tenant, ["sd"] = Convert.ToHexString(item.Sd), ["scriptId"] = item.ScriptIdHex,
                ["counter"] = item.Counter, ["steps"] = item.StepCount, ["sha256"] = Convert.ToHexString(item.Sha256),
                ["request"] = Convert.ToBase64String(item.Request),
            });
        }

        var root = new JsonObject
        {
            ["format"] = Format, ["bundleId"] = BundleId, ["device"] = Device, ["items"] = items,
            ["signature"] = Convert.ToBase64String(Signature),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Reads a bundle and checks everything but the signature: fields, each request against its hash, tenant, SD
    /// and script id, and the tenant-counter order.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <returns>The bundle (call <see cref="VerifySignature"/> before use).</returns>
    /// <exception cref="ProvisionBundleException">Anything is wrong; no other exception is thrown for any input.</exception>
    public static ProvisionBundle Parse(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            // A UTF-8 byte order mark (some editors add one) is not part of the JSON text (RFC 8259 §8.1).
            int start = data.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
            using JsonDocument doc = JsonDocument.Parse(data.AsMemory(start));
            JsonElement root = Object(doc.RootElement, "the bundle");
            if (Text(root, "format") != Format)
            {
                throw Malformed($"not a {Format} file");
            }

            string bundleId = Ident(root, "bundleId");
            string device = Ident(root, "device");
            JsonElement list = Field(root, "items", JsonValueKind.Array);
            int count = list.GetArrayLength();
            if (count is 0 or > MaxItems)
            {
                throw Malformed($"a bundle holds 1 to {MaxItems} items");
            }

            var items = new List<BundleItem>(count);
            var lastCounter = new Dictionary<string, ulong>();
            foreach (JsonElement element in list.EnumerateArray())
            {
                BundleItem item = ParseItem(Object(element, "an item"), items.Count + 1);
                if (lastCounter.TryGetValue(item.Tenant, out ulong last) && item.Counter <= last)
                {
                    throw new ProvisionBundleException(ProvisionBundleError.CounterOrder, $"item {item.Order} ({item.Tenant}) has tenant counter {item.Counter}, not above {last} of an earlier item: the relay would refuse it");
                }

                lastCounter[item.Tenant] = item.Counter;
                items.Add(item);
            }

            byte[] signature = Convert.FromBase64String(Text(root, "signature"));
            if (signature.Length != 64)
            {
                throw Malformed("the signature must be 64 bytes (ECDSA P-256, r||s)");
            }

            return new ProvisionBundle(bundleId, device, items, signature);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw Malformed(e.Message, e);
        }
    }

    private static BundleItem ParseItem(JsonElement element, int expectedOrder)
    {
        if (Field(element, "order", JsonValueKind.Number).GetInt32() != expectedOrder)
        {
            throw Malformed($"item {expectedOrder} is out of order");
        }

        string tenant = Ident(element, "tenant");
        byte[] sd = Convert.FromHexString(Text(element, "sd"));
        byte[] scriptId = Convert.FromHexString(Text(element, "scriptId"));
        byte[] hash = Convert.FromHexString(Text(element, "sha256"));
        byte[] request = Convert.FromBase64String(Text(element, "request"));
        if (!CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(request)))
        {
            throw new ProvisionBundleException(ProvisionBundleError.ItemMismatch, $"item {expectedOrder} ({tenant}): the request does not match its SHA-256: it was altered");
        }

        var item = new BundleItem(expectedOrder, request);
        if (item.Tenant != tenant || !item.Sd.AsSpan().SequenceEqual(sd) || !item.ScriptId.AsSpan().SequenceEqual(scriptId))
        {
            throw new ProvisionBundleException(ProvisionBundleError.ItemMismatch, $"item {expectedOrder}: the request names another tenant, SD or script id than the item");
        }

        return item;
    }

    private static JsonElement Object(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Object ? element : throw Malformed($"{what} is not a JSON object");

    private static JsonElement Field(JsonElement parent, string name, JsonValueKind kind) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == kind ? value : throw Malformed($"field '{name}' is missing or not a {kind}");

    private static string Text(JsonElement parent, string name) => Field(parent, name, JsonValueKind.String).GetString()!;

    private static string Ident(JsonElement parent, string name)
    {
        string value = Text(parent, name);
        if (value.Length is 0 or > 64 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw Malformed($"field '{name}' must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }

        return value;
    }

    private static ProvisionBundleException Malformed(string why, Exception? inner = null) =>
        new(ProvisionBundleError.Malformed, "not a valid bundle: " + why, inner);
}
