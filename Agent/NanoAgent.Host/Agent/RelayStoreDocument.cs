using System.Text.Json;
using System.Text.Json.Serialization;

namespace NanoAgent.Host.Agent;

/// <summary>
/// The JSON form of a <see cref="FileRelayStore"/>: <c>{ "version": 1, "counters": { tenant: n }, "authFailures": { tenant: n }, "results": { tenant:
/// [ { "id": hex, "result": hex } ] }, "runs": [ { "tenant", "id", "counter", "steps", "sending", "answered": [ { "index",
/// "outcome", "sw", ["data"] } ] } ] }</c>. Results are kept oldest first. Ids and encoded results are upper-case hex.
/// </summary>
public sealed class RelayStoreDocument
{
    /// <summary>The only format version written and read.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Gets or sets the format version.</summary>
    public int Version { get; set; } = CurrentVersion;

    /// <summary>Gets or sets the last accepted counter per tenant.</summary>
    public Dictionary<string, ulong> Counters { get; set; } = new();

    /// <summary>Gets or sets the consecutive failed EXTERNAL AUTHENTICATEs per tenant (absent when none; docs/protocol.md §4.5).</summary>
    public Dictionary<string, int> AuthFailures { get; set; } = new();

    /// <summary>Gets or sets the stored results per tenant, oldest first.</summary>
    public Dictionary<string, List<StoredResult>> Results { get; set; } = new();

    /// <summary>Gets or sets the traces of the runs in flight.</summary>
    public List<StoredRun> Runs { get; set; } = new();

    /// <summary>Parses a document.</summary>
    /// <param name="json">The file content.</param>
    /// <returns>The document.</returns>
    /// <exception cref="JsonException">The text is not a store document.</exception>
    public static RelayStoreDocument Parse(byte[] json)
    {
        RelayStoreDocument document = JsonSerializer.Deserialize<RelayStoreDocument>(json, Json)
            ?? throw new JsonException("the file holds 'null'");
        if (document.Version != CurrentVersion)
        {
            throw new JsonException($"format version {document.Version} is not {CurrentVersion}");
        }

        if (document.Counters is null || document.Results is null || document.Runs is null)
        {
            throw new JsonException("counters, results and runs are required");
        }

        document.AuthFailures ??= new();

        foreach (var (_, list) in document.Results)
        {
            if (list is null || list.Any(r => r is null || r.Id is null || r.Result is null))
            {
                throw new JsonException("a result entry lacks its id or result");
            }
        }

        if (document.Runs.Any(r => r is null || r.Tenant is null || r.Id is null || r.Answered is null || r.Steps < 0 || r.Sending < -1
            || r.Answered.Any(a => a is null || (a.Data is not null && (a.Data.Length % 2 != 0 || !a.Data.All(char.IsAsciiHexDigit))))))
        {
            throw new JsonException("a run entry is incomplete");
        }

        return document;
    }

    /// <summary>Serializes the document.</summary>
    /// <returns>UTF-8 JSON.</returns>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>One stored result.</summary>
    public sealed class StoredResult
    {
        /// <summary>Gets or sets the script id, hex.</summary>
        public string Id { get; set; } = string.Empty;

        /// <summary>Gets or sets the encoded E5 result, hex.</summary>
        public string Result { get; set; } = string.Empty;
    }

    /// <summary>One run in flight.</summary>
    public sealed class StoredRun
    {
        /// <summary>Gets or sets the tenant.</summary>
        public string Tenant { get; set; } = string.Empty;

        /// <summary>Gets or sets the script or session id, hex.</summary>
        public string Id { get; set; } = string.Empty;

        /// <summary>Gets or sets the request's counter.</summary>
        public ulong Counter { get; set; }

        /// <summary>Gets or sets the number of steps (0 for an interactive session).</summary>
        public int Steps { get; set; }

        /// <summary>Gets or sets the step handed to the SE without a recorded answer, or -1.</summary>
        public int Sending { get; set; } = -1;

        /// <summary>Gets or sets the answered steps, in order.</summary>
        public List<StoredStep> Answered { get; set; } = new();
    }

    /// <summary>One answered step, with the response data the step asked for (e.g. the INITIALIZE UPDATE answer).</summary>
    public sealed class StoredStep
    {
        /// <summary>Gets or sets the response data without SW as upper-case hex, or null when the step did not ask for it.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Data { get; set; }

        /// <summary>Gets or sets the step index.</summary>
        public int Index { get; set; }

        /// <summary>Gets or sets the step outcome code (docs/protocol.md §3.8).</summary>
        public byte Outcome { get; set; }

        /// <summary>Gets or sets the status word.</summary>
        public ushort Sw { get; set; }
    }
}
