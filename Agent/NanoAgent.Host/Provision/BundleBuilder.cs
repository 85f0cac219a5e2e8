using System.Security.Cryptography;

namespace NanoAgent.Host.Provision;

/// <summary>
/// Builds a signed bundle from tenants' encoded batch requests (each made by that tenant's backend, e.g.
/// <c>BatchPlan.Issue</c> then <c>ScriptMessageCodec.Encode</c>). Used by <c>nanoagent provision pack</c> and the tests.
/// </summary>
public sealed class BundleBuilder
{
    private readonly List<BundleItem> _items = [];

    /// <summary>Appends a request; items run in the order they are added.</summary>
    /// <param name="request">The encoded <c>E1</c> batch request.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ProvisionBundleException">The request does not decode or is not a batch.</exception>
    public BundleBuilder Add(byte[] request)
    {
        _items.Add(new BundleItem(_items.Count + 1, request));
        return this;
    }

    /// <summary>Signs the bundle with the issuer's private key and checks it reads back.</summary>
    /// <param name="bundleId">The bundle id (identifier).</param>
    /// <param name="device">The device id.</param>
    /// <param name="issuer">The issuer's P-256 private key.</param>
    /// <returns>The signed bundle.</returns>
    /// <exception cref="ProvisionBundleException">The ids are not identifiers, there are no items, or counters are out of order.</exception>
    public ProvisionBundle Sign(string bundleId, string device, ECDsa issuer)
    {
        var unsigned = new ProvisionBundle(bundleId, device, _items.ToArray(), []);
        byte[] signature = issuer.SignData(unsigned.SignedBytes(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        string json = new ProvisionBundle(bundleId, device, unsigned.Items, signature).ToJson();
        ProvisionBundle bundle = ProvisionBundle.Parse(System.Text.Encoding.UTF8.GetBytes(json)); // same checks as the console
        bundle.VerifySignature(issuer);
        return bundle;
    }
}
