using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Service;
using NanoAgent.Host.Agent;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Gate;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Mqtt.Access;

namespace NanoAgent.Host.Demo;

/// <summary>
/// What a demo tells and what it checks: its sections, the rows of its summary table, and the steps both demos (GP card,
/// SE05x) take alike (the broker's refusals between tenants, acme's actuator commands, a backend's rejections).
/// </summary>
internal sealed class DemoStory(TextWriter output)
{
    /// <summary>Gets where the story is told.</summary>
    public TextWriter Output => output;

    /// <summary>Gets the summary rows so far.</summary>
    public List<DemoCheck> Checks { get; } = [];

    /// <summary>Gets the exit code: 0 when every check came out as expected, 1 otherwise.</summary>
    public int ExitCode => Checks.TrueForAll(c => c.Ok) ? 0 : 1;

    /// <summary>Starts a section.</summary>
    public void Section(string title)
    {
        output.WriteLine();
        output.WriteLine("== " + title);
    }

    /// <summary>A row for a backend run that must succeed.</summary>
    public void Check(string who, string what, string expected, BackendReport report) =>
        Checks.Add(new DemoCheck(who, what, expected, Outcome(report), report.Succeeded));

    /// <summary>A run's outcome in a few words: its step count, or the failure or first failed step.</summary>
    public static string Outcome(BackendReport report)
    {
        if (report.Succeeded)
        {
            return $"{report.Steps.Count} steps ok";
        }

        StepReport? failed = report.Steps.Find(s => !s.Passed);
        return report.Failure ?? (failed is null ? "failed" : $"step {failed.Index}: SW {failed.Sw:X4}");
    }

    /// <summary>A row for a gated message acme's backend must reject.</summary>
    public void Rejected(string what, GateVerification verification, GateVerdict expected, string because)
    {
        output.WriteLine($"  acme backend: {what} -> {(verification.IsAccepted ? "accepted" : "rejected: " + verification.Reason)}");
        Checks.Add(new DemoCheck("attacker", what, $"rejected: {because}", verification.IsAccepted ? "accepted" : verification.Reason, verification.Verdict == expected));
    }

    /// <summary>Sends an actuator command on acme's topic and records a row for the status it must get.</summary>
    public void Actuate(MqttNetConnection backend, MessageInbox inbox, string device, string who, string what, byte[] request, ActuationStatus expected)
    {
        var response = new GateEnvelope();
        string got = Actuate(backend, inbox, device, request, response);
        output.WriteLine($"  {who}: {what} -> {got}");
        Checks.Add(new DemoCheck(who, what, ActuationStatusText.Of(expected), got, response.Status == (int)expected));
    }

    /// <summary>Sends an actuator command on acme's topic and returns the answer's text.</summary>
    public string Actuate(MqttNetConnection backend, MessageInbox inbox, string device, byte[] request, GateEnvelope? response = null)
    {
        backend.Publish(GateTopics.ActuateRequest(device, "acme"), request, MqttQos.AtLeastOnce, retain: false);
        response ??= new GateEnvelope();
        byte[] payload = inbox.Next(GateTopics.ActuateResponse(device, "acme"));
        return response.TryParse(payload, 0, payload.Length) ? response.Text : "malformed answer";
    }

    /// <summary>
    /// The broker layer (docs/broker-security.md): beta's login cannot write acme's requests nor read acme's answers.
    /// </summary>
    public void OtherTenantsTopics(AgentHost agent, string device, string betaPassword)
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
        Checks.Add(new DemoCheck("beta", "publish on acme's request topic", "refused and dropped by the broker", dropped ? published + ", dropped" : "delivered", dropped && published != "acknowledged"));
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

        Checks.Add(new DemoCheck("beta", "subscribe to acme's results", "refused by the broker", subscribed, subscribed != "granted"));
    }

    /// <summary>Prints the summary table and the count line.</summary>
    public void PrintSummary()
    {
        int who = Checks.Max(c => c.Who.Length), what = Checks.Max(c => c.What.Length), expected = Checks.Max(c => c.Expected.Length);
        output.WriteLine($"{"who".PadRight(who)}  {"what".PadRight(what)}  {"expected".PadRight(expected)}  result");
        output.WriteLine(new string('-', who + what + expected + 30));
        foreach (DemoCheck c in Checks)
        {
            string got = c.Got.Length > 60 ? c.Got[..57] + "..." : c.Got;
            output.WriteLine($"{c.Who.PadRight(who)}  {c.What.PadRight(what)}  {c.Expected.PadRight(expected)}  {(c.Ok ? "PASS" : "FAIL")}  {got}");
        }

        int passed = Checks.Count(c => c.Ok);
        output.WriteLine();
        output.WriteLine($"{passed} of {Checks.Count} checks as expected." + (passed == Checks.Count ? " Demo OK." : " Demo FAILED."));
    }
}
