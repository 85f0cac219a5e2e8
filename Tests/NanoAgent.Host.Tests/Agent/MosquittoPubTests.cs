using System.Diagnostics;
using NanoAgent.Agent.Messages;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>A request published by the real mosquitto_pub, from a file holding the encoded E1 (docs/protocol.md §3.2).</summary>
public sealed class MosquittoPubTests
{
    [MosquittoPubFact]
    public void MosquittoPub_ScriptFile_ResultOnResTopic_Mosquitto()
    {
        using var rig = new AgentRig();
        using var broker = new TestBroker("mosquitto");
        rig.Start(rig.Options(broker.Address));
        Publish(rig, broker.Port);
    }

    [MosquittoPubFact]
    public void MosquittoPub_ScriptFile_ResultOnResTopic_EmbeddedBroker()
    {
        using var rig = new AgentRig();
        var host = rig.Start(rig.Options(null, embeddedPort: 0));
        Publish(rig, host.BrokerAddress.Port);
    }

    private static void Publish(AgentRig rig, int port)
    {
        var client = rig.Connect(new NanoAgent.Host.Mqtt.MqttBrokerAddress("127.0.0.1", port, useTls: false));
        string file = Path.Combine(rig.Dir, "script.bin");
        File.WriteAllBytes(file, AgentRig.Script("acme", 1, "pub", AgentRig.AcmeSd, AgentRig.Iin(1)));
        var info = new ProcessStartInfo(MosquittoPubFactAttribute.Binary!) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-h", "127.0.0.1", "-p", port.ToString(), "-i", "nanoagent-pub-test", "-q", "1", "-t", client.RequestTopic, "-f", file })
        {
            info.ArgumentList.Add(arg);
        }

        using (Process process = Process.Start(info)!)
        {
            Assert.True(process.WaitForExit(10_000), "mosquitto_pub did not finish within 10 s");
            Assert.Equal(0, process.ExitCode);
        }

        ScriptResult result = client.Next();
        Assert.Equal(ScriptOutcome.Completed, result.Outcome);
        Assert.Equal("42046E616E6F", Hex.Of(result.Steps[0].Data));
    }
}
