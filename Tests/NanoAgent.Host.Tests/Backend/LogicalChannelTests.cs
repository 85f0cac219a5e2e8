using NanoAgent.Host.Backend;

namespace NanoAgent.Host.Tests.Backend;

/// <summary>
/// docs/protocol.md §4.3: whatever channel the backend writes its commands for, the relay runs the session on a channel of
/// its own and sets it in every CLA; SCP03 MACs the class byte with the channel number zero (GP Amd D §6.2.4), so the card
/// verifies every command.
/// </summary>
public sealed class LogicalChannelTests : IDisposable
{
    private readonly AgentRig _rig = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _rig.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(19)]
    public void RunInteractive_WrittenForAnyChannel_RelaySetsItsOwn_CardVerifies(int written)
    {
        var output = new StringWriter();
        var options = new BackendOptions { Device = AgentRig.Device, Tenant = AgentRig.Tenant, Sd = AgentRig.Ssd, Channel = written, Timeout = TimeSpan.FromSeconds(20), RequestKeys = AgentRig.RequestKeys };
        using BackendLink link = _rig.Link();
        BackendReport report = new TenantBackend(link, options, AgentRig.Keys, BackendState.Load(_dir.File("s.json")), output)
            .RunInteractive(ScriptFile.Parse(TenantBackendTests.Script(), "t.apdu"));
        Assert.True(report.Succeeded, output.ToString() + report.Failure);
        Assert.Equal("DF2003414243", Hex.Of(report.Find("t.apdu:5")!.Data!));
    }
}
