using System.Security.Cryptography;
using NanoAgent.Agent.Messages;

namespace NanoAgent.Host.Provision;

/// <summary>
/// One step of a provisioning bundle: a tenant's already-encoded <c>E1</c> batch script request (docs/protocol.md §3.2),
/// pre-computed by that tenant's backend with its own SCP03 keys, and the facts the console checks it against.
/// </summary>
public sealed class BundleItem
{
    /// <summary>Creates an item from an encoded request, taking tenant, SD and script id from it.</summary>
    /// <param name="order">The position in the bundle, from 1.</param>
    /// <param name="request">The encoded <c>E1</c> batch request.</param>
    /// <exception cref="ProvisionBundleException">The request does not decode or is not a batch.</exception>
    public BundleItem(int order, byte[] request)
    {
        ScriptRequest decoded = Decode(request);
        Order = order;
        Request = request;
        Tenant = decoded.TenantId;
        Sd = decoded.TargetAid;
        ScriptId = decoded.ScriptId;
        Counter = decoded.Counter;
        StepCount = decoded.Steps.Length;
        Sha256 = SHA256.HashData(request);
    }

    /// <summary>Gets the position in the bundle, from 1; items run in this order.</summary>
    public int Order { get; }

    /// <summary>Gets the tenant id (the request topic's tenant).</summary>
    public string Tenant { get; }

    /// <summary>Gets the target security domain AID.</summary>
    public byte[] Sd { get; }

    /// <summary>Gets the script id: the relay answers a repeated id from its store (at-least-once without double application).</summary>
    public byte[] ScriptId { get; }

    /// <summary>Gets the tenant counter of the request.</summary>
    public ulong Counter { get; }

    /// <summary>Gets the number of steps (APDUs) in the request.</summary>
    public int StepCount { get; }

    /// <summary>Gets the encoded request, published as is.</summary>
    public byte[] Request { get; }

    /// <summary>Gets the SHA-256 of <see cref="Request"/>.</summary>
    public byte[] Sha256 { get; }

    /// <summary>Gets the script id in hex (journal and receipt key).</summary>
    public string ScriptIdHex => Convert.ToHexString(ScriptId);

    /// <summary>Decodes an encoded batch request, translating codec errors.</summary>
    /// <param name="request">The encoded request.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ProvisionBundleException">It does not decode or is not a batch.</exception>
    internal static ScriptRequest Decode(byte[] request)
    {
        ScriptRequest decoded;
        try
        {
            decoded = ScriptMessageCodec.DecodeScriptRequest(request);
        }
        catch (AgentMessageException e)
        {
            throw new ProvisionBundleException(ProvisionBundleError.Malformed, $"a request is not a valid script request: {e.Message}", e);
        }

        if (decoded.Authenticator is null)
        {
            throw new ProvisionBundleException(ProvisionBundleError.Malformed, "a request carries no authenticator: the tenant's backend must MAC it with its request key (docs/protocol.md §3.9), else the relay refuses it");
        }

        if (decoded.Mode != ScriptMode.Batch)
        {
            throw new ProvisionBundleException(ProvisionBundleError.Malformed, "a bundle carries pre-computed batch scripts only, not interactive sessions");
        }

        return decoded;
    }
}
