using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;

namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>Keeps everything a relay reports, each message round-tripped through its codec as the service would send it.</summary>
public sealed class RecordingListener : IRelayListener
{
    public List<(string Tenant, ScriptResult Result)> Results { get; } = [];

    public List<(string Tenant, ScriptProgress Progress)> Progress { get; } = [];

    public List<(string Tenant, ApduResponse Response)> Responses { get; } = [];

    public ScriptResult LastResult => Results[^1].Result;

    public string LastResultTenant() => Results[^1].Tenant;

    public ApduResponse LastResponse => Responses[^1].Response;

    public void OnProgress(string tenantId, ScriptProgress progress) =>
        Progress.Add((tenantId, ReportMessageCodec.DecodeProgress(ReportMessageCodec.Encode(progress))));

    public void OnResult(string tenantId, ScriptResult result) =>
        Results.Add((tenantId, ReportMessageCodec.DecodeResult(ReportMessageCodec.Encode(result))));

    public void OnApduResponse(string tenantId, ApduResponse response) =>
        Responses.Add((tenantId, ReportMessageCodec.DecodeApduResponse(ReportMessageCodec.Encode(response))));
}
