using NanoAgent.Host.Backend;

namespace NanoAgent.Host.Tests.Backend;

/// <summary>A tenant on logical channel 1: the backend puts the channel into each CLA before MACing (docs/protocol.md §4.3).</summary>
public sealed class LogicalChannelTests : IDisposable
{
    private readonly AgentRig _rig = new(channel: 1);
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _rig.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void RunInteractive_Channel1_RelayAcceptsAndCardVerifies()
    {
        var output = new StringWriter();
        var options = new BackendOptions { Device = AgentRig.Device, Tenant = AgentRig.Tenant, Sd = AgentRig.Ssd, Channel = 1, Timeout = TimeSpan.FromSeconds(20), RequestKeys = AgentRig.RequestKeys };
        using BackendLink link = _rig.Link();
        BackendReport report = new TenantBackend(link, options, AgentRig.Keys, BackendState.Load(_dir.File("s.json")), output)
            .RunInteractive(ScriptFile.Parse(TenantBackendTests.Script(), "t.apdu"));
        Assert.True(report.Succeeded, output.ToString() + report.Failure);
        Assert.Equal("DF2003414243", Hex.Of(report.Find("t.apdu:5")!.Data!));
    }
}
