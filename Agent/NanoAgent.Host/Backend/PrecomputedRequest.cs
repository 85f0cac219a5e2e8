using NanoAgent.Agent.Messages;

namespace NanoAgent.Host.Backend;

/// <summary>
/// <c>backend run --out FILE</c>: a request made now and delivered later by someone else (a field engineer's provisioning
/// bundle, docs/provisioning.md): the whole SCP03 session pre-computed for the SD's next sequence counter (or, plain, the
/// steps as they are), issued under the next tenant counter and MAC'd with the request key, written as the encoded
/// <c>E1</c> bytes that go on the tenant's request topic. Both counters are reserved in the backend state first, so the
/// next request (written or sent) follows this one: pre-computed requests of one tenant must run in the order they were made.
/// </summary>
public static class PrecomputedRequest
{
    /// <summary>Makes the request and writes it.</summary>
    /// <param name="backend">The tenant's backend, offline (no link).</param>
    /// <param name="options">Device, tenant, SD, channel and level the backend was made with.</param>
    /// <param name="state">The backend state the backend was made with (its counters are reserved).</param>
    /// <param name="script">The script.</param>
    /// <param name="plain">True for the steps as they are (no SCP03 session).</param>
    /// <param name="path">The file to write; must not exist.</param>
    /// <param name="output">Where the summary line goes.</param>
    /// <returns>What was written (for <c>--json</c>).</returns>
    /// <exception cref="BackendException">The file exists or cannot be written (exit code 2), or the session cannot be
    /// pre-computed (the SD's counter unknown: exit code 2).</exception>
    public static Written Write(TenantBackend backend, BackendOptions options, BackendState state, ScriptFile script, bool plain, string path, TextWriter output)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new BackendException(2, $"{path}: already exists; a written request is a reserved pair of counters, so it is never overwritten: name a new file");
        }

        ScriptRequest request;
        string what;
        int? sequenceCounter = null;
        if (plain)
        {
            request = PlainScript.Request(options, script, state.NextTenantCounter());
            what = $"plain request, {Apdus(request.Steps.Length)} (no SCP03 session)";
        }
        else
        {
            BatchPlan plan = backend.PrepareBatch(script);
            request = plan.Issue(state.NextTenantCounter());
            request.ResetAuthGuard = options.ResetAuthGuard;
            request.ResetAuthGuardOf = options.ResetAuthGuardOf;

            // The card's counter moves when it runs this session (GP Amd D §6.2.1): the next one is computed for the one after.
            state.Record(BackendState.Key(options.Device, options.Tenant, options.Sd), plan.SequenceCounter, plan.IParameter);
            sequenceCounter = plan.SequenceCounter;
            what = $"batch request, {Apdus(plan.Wire.Count)} pre-computed for SD sequence counter {plan.SequenceCounter}";
        }

        byte[] encoded = backend.Encode(request);
        try
        {
            string temp = path + ".tmp";
            File.WriteAllBytes(temp, encoded);
            File.Move(temp, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackendException(2, $"{path}: cannot write the request: {e.Message}");
        }

        output.WriteLine($"wrote {path}: {what}, tenant counter {request.Counter}, script id {Convert.ToHexString(request.ScriptId)}, {encoded.Length} bytes");
        output.WriteLine($"  both counters are reserved in the backend state: run the requests of {options.Tenant} in the order they were written (nanoagent provision pack --request {Path.GetFileName(path)} ...)");
        return new Written(path, Convert.ToHexString(request.ScriptId), request.Counter, sequenceCounter, encoded.Length);
    }

    private static string Apdus(int count) => count == 1 ? "1 APDU" : $"{count} APDUs";

    /// <summary>What <see cref="Write"/> wrote: the file, the request's script id and tenant counter, the SD sequence counter
    /// its session is computed for (null for a plain request) and its size.</summary>
    public sealed record Written(string File, string ScriptId, ulong TenantCounter, int? SequenceCounter, int Bytes);
}
