namespace NanoAgent.Fleet;

/// <summary>
/// A request as recorded before it was first published: the exact bytes, and what they were made from (script id, tenant
/// counter, the SD's sequence counter and the host challenge of a pre-computed session). A worker that takes the device
/// over publishes these same bytes again; the agent answers a script id it already ran from its store (docs/protocol.md
/// §3.8), so the script is never applied twice.
/// </summary>
public sealed record SentRequest
{
    /// <summary>Gets the script id.</summary>
    public required byte[] ScriptId { get; init; }

    /// <summary>Gets the tenant counter in the request.</summary>
    public required long TenantCounter { get; init; }

    /// <summary>Gets the SD sequence counter the session was pre-computed for.</summary>
    public required int SequenceCounter { get; init; }

    /// <summary>Gets the host challenge of the pre-computed session.</summary>
    public required byte[] HostChallenge { get; init; }

    /// <summary>Gets the request bytes as published (authenticated with the tenant's request key).</summary>
    public required byte[] Request { get; init; }
}
