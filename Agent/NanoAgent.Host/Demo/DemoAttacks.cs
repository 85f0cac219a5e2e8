using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Demo;

/// <summary>
/// The demo's broker-only attacker (issue #12): with beta's broker login but no key, it tries to take the agent's client id
/// (which would close the agent's connection: refused by the broker, the agent stays online), to burn beta's counter (a
/// plain request with the largest counter) and to block beta's SD key set (three INITIALIZE UPDATE + random EXTERNAL
/// AUTHENTICATE requests), then acme tries with its own request key on beta's topic. Every request must be refused with a
/// reason on beta's result topic, and beta's next run must succeed.
/// </summary>
internal sealed class DemoAttacks(AgentHost agent, string device, string stolenPassword, DemoStory story, List<BackendLink> links)
{
    /// <summary>Runs the attacks on beta, then beta's own run.</summary>
    /// <param name="beta">Beta's backend (with its keys), for the run that must still succeed.</param>
    /// <param name="betaSd">Beta's SD.</param>
    /// <param name="betaChannel">Beta's logical channel.</param>
    /// <param name="acmeRequestKeys">acme's request key set (another tenant's key).</param>
    /// <param name="nextRun">Beta's next run, or null for the GP card's (STORE DATA in its SD).</param>
    public void Run(TenantBackend beta, byte[] betaSd, int betaChannel, Scp03StaticKeys acmeRequestKeys, ScriptFile? nextRun = null)
    {
        BackendLink link = BackendLink.Connect(agent.BrokerAddress, "beta", stolenPassword, device, "beta");
        links.Add(link);
        var agentLink = (ReconnectingMqttConnection)agent.Mqtt;
        int drops = 0;
        EventHandler dropped = (_, _) => Interlocked.Increment(ref drops);
        agentLink.ConnectionLost += dropped;
        string takeover = TakeAgentsClientId();

        story.Output.WriteLine("-- attacker: a plain request on beta's topic with counter 2^64-1 (would burn beta's counter for good)");
        Refused(link, "plain request, counter 2^64-1", ScriptMessageCodec.Encode(Request(betaSd, ulong.MaxValue, DemoScripts.ForgedAuthentication(betaChannel)[..1])), RejectReason.NotAuthenticated);

        story.Output.WriteLine("-- attacker: three INITIALIZE UPDATE + random EXTERNAL AUTHENTICATE on beta's topic (would block beta's key set, 6983)");
        for (int i = 1; i <= 3; i++)
        {
            Refused(link, $"forged EXTERNAL AUTHENTICATE #{i}", ScriptMessageCodec.Encode(Request(betaSd, (ulong)i, DemoScripts.ForgedAuthentication(betaChannel))), RejectReason.NotAuthenticated);
        }

        story.Output.WriteLine("-- acme: the same, MAC'd with acme's own request key, on beta's topic");
        RequestSigner acme = RequestSigner.FromKeySet(acmeRequestKeys, device, "acme");
        Refused(link, "request MAC'd with acme's key", acme.Sign(Request(betaSd, ulong.MaxValue, DemoScripts.ForgedAuthentication(betaChannel))), RejectReason.NotAuthenticated);

        // Checked after the round trips above, so a connection the broker had closed would have shown by now.
        agentLink.ConnectionLost -= dropped;
        bool online = agentLink.IsConnected && Volatile.Read(ref drops) == 0;
        story.Checks.Add(new DemoCheck(
            "attacker", $"connect as the agent (client id '{AgentClientId}', beta's login)", "refused, the agent stays online",
            takeover + (online ? ", agent online" : ", AGENT KNOCKED OFF THE BROKER"), takeover.StartsWith("refused", StringComparison.Ordinal) && online));

        story.Output.WriteLine("-- beta: its next run, as if nothing happened");
        BackendReport next = beta.RunInteractive(nextRun ?? DemoScripts.TenantStoresData(betaSd, "beta-data.apdu"));
        story.Checks.Add(new DemoCheck("beta", "its next run after the attacks", "all steps 9000", next.Succeeded ? $"{next.Steps.Count} steps ok" : next.Failure ?? "failed", next.Succeeded));
    }

    private string AgentClientId => BrokerClientIds.Agent(device, device);

    // A second connection with a client id closes the first (MQTT 3.1.1 §3.1.4-2): the broker must not let beta's login have the agent's.
    private string TakeAgentsClientId()
    {
        story.Output.WriteLine($"-- attacker: connect with beta's login under the agent's client id '{AgentClientId}' (would knock the agent off the broker)");
        using var thief = new MqttNetConnection(agent.BrokerAddress);
        string got;
        try
        {
            thief.Connect(new MqttConnectOptions { ClientId = AgentClientId, UserName = "beta", Password = stolenPassword, CleanSession = true });
            got = "connected";
        }
        catch (MqttConnectionRefusedException e)
        {
            got = e.Message.Contains("client identifier", StringComparison.Ordinal) ? "refused: client id not allowed" : "refused: " + e.Message;
        }

        story.Output.WriteLine($"  attacker: take the agent's client id -> {got}");
        return got;
    }

    private static ScriptRequest Request(byte[] sd, ulong counter, ScriptStep[] steps) => new()
    {
        ScriptId = Guid.NewGuid().ToByteArray(), TenantId = "beta", Counter = counter, TargetAid = sd, Mode = ScriptMode.Batch, Steps = steps,
    };

    private void Refused(BackendLink link, string what, byte[] payload, RejectReason expected)
    {
        ScriptRequest sent = ScriptMessageCodec.DecodeScriptRequest(payload);
        link.Send(payload);
        string got = link.Next(sent.ScriptId, null) is ScriptResult { Outcome: ScriptOutcome.Rejected } result
            ? $"rejected: {result.Reason}"
            : "not rejected";
        story.Output.WriteLine($"  attacker: {what} -> {got}");
        story.Checks.Add(new DemoCheck("attacker", what + " (beta's topic)", $"rejected: {expected}", got, got == $"rejected: {expected}"));
    }
}
