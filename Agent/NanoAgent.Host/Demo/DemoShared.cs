using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Service;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Demo;

/// <summary>What both demos (GP card, SE05x) do alike: the broker's refusals between tenants and the summary table.</summary>
internal static class DemoShared
{
    /// <summary>
    /// The broker layer (docs/broker-security.md): beta's login cannot write acme's requests nor read acme's answers.
    /// </summary>
    public static void OtherTenantsTopics(AgentHost agent, string device, string betaPassword, TextWriter output, List<DemoCheck> checks)
    {
        output.WriteLine("-- beta: publish a request on acme's topic, subscribe to acme's results (beta's own broker login)");
        using var beta = new MqttNetConnection(agent.BrokerAddress);
        beta.Connect(new MqttConnectOptions { ClientId = BrokerClientIds.ForTool("beta", "demo"), UserName = "beta", Password = betaPassword, CleanSession = true });
        int before = agent.EmbeddedBroker!.DroppedPublishes;
        string published;
        try
        {
            beta.Publish(AgentTopics.Request(device, "acme"), [0x01], MqttQos.AtLeastOnce, retain: false);
            published = "acknowledged";
        }
        catch (MqttConnectionRefusedException e) when (e.Message.Contains("not authorized", StringComparison.Ordinal))
        {
            published = "refused: not authorized (PUBACK 0x87)";
        }

        bool dropped = agent.EmbeddedBroker.DroppedPublishes == before + 1;
        checks.Add(new DemoCheck("beta", "publish on acme's request topic", "refused and dropped by the broker", dropped ? published + ", dropped" : "delivered", dropped && published != "acknowledged"));
        string subscribed;
        try
        {
            beta.Subscribe([AgentTopics.Response(device, "acme")], [MqttQos.AtLeastOnce]);
            subscribed = "granted";
        }
        catch (MqttConnectionRefusedException e) when (e.Message.Contains("not authorized", StringComparison.Ordinal))
        {
            subscribed = "refused: not authorized (SUBACK 0x87)";
        }

        checks.Add(new DemoCheck("beta", "subscribe to acme's results", "refused by the broker", subscribed, subscribed != "granted"));
    }

    /// <summary>Prints the summary table and the count line.</summary>
    public static void PrintSummary(TextWriter output, List<DemoCheck> checks)
    {
        int who = checks.Max(c => c.Who.Length), what = checks.Max(c => c.What.Length), expected = checks.Max(c => c.Expected.Length);
        output.WriteLine($"{"who".PadRight(who)}  {"what".PadRight(what)}  {"expected".PadRight(expected)}  result");
        output.WriteLine(new string('-', who + what + expected + 30));
        foreach (DemoCheck c in checks)
        {
            string got = c.Got.Length > 60 ? c.Got[..57] + "..." : c.Got;
            output.WriteLine($"{c.Who.PadRight(who)}  {c.What.PadRight(what)}  {c.Expected.PadRight(expected)}  {(c.Ok ? "PASS" : "FAIL")}  {got}");
        }

        int passed = checks.Count(c => c.Ok);
        output.WriteLine();
        output.WriteLine($"{passed} of {checks.Count} checks as expected." + (passed == checks.Count ? " Demo OK." : " Demo FAILED."));
    }
}
