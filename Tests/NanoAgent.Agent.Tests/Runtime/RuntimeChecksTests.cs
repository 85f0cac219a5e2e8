namespace NanoAgent.Agent.Tests.Runtime;

/// <summary>The device agent's MQTT login: its client id is its broker user name when it has one (docs/broker-security.md).</summary>
public class RuntimeChecksTests
{
    [Fact]
    public void Connect_WithALogin_ClientIdIsTheUserName_PersistentSession()
    {
        var rig = new RuntimeRig();
        rig.Config += "\nbroker.user = dev1-agent\nbroker.password = pw\n";
        rig.Run(rig.Start(), 3, 100);

        var options = rig.Broker.Clients[^1].Options!;
        Assert.Equal(("dev1-agent", "dev1-agent", "pw", false), (options.ClientId, options.UserName, options.Password, options.CleanSession));
    }

    [Fact]
    public void Connect_WithoutALogin_ClientIdNamesTheDevice()
    {
        var rig = new RuntimeRig();
        rig.Run(rig.Start(), 3, 100);
        Assert.Equal("nanoagent-dev1", rig.Broker.Clients[^1].Options!.ClientId);
    }
}
