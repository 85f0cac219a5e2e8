using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Common;
using NanoAgent.Host.Delivery;

namespace NanoAgent.Host.Gate;

/// <summary>
/// <c>nanoagent backend actuate</c>: builds a MAC'd actuate request with <see cref="ActuationSigner"/> (the next command
/// counter is saved before it is sent), publishes it on the tenant's <c>actuate/req</c> topic and prints the agent's answer.
/// Exit 0 when applied, 1 when the agent refused (reason printed), 2 for bad arguments or key files, 3 when the broker is
/// unreachable or no answer came in time.
/// </summary>
public sealed class GateActuateRequest : GateBackendRequest
{
    /// <summary>Gets the gate instance AID in hex.</summary>
    public required string Gate { get; init; }

    /// <summary>Gets the MAC key file (hex, mode 600).</summary>
    public required string MacKeyPath { get; init; }

    /// <summary>Gets the actuator id.</summary>
    public required string Actuator { get; init; }

    /// <summary>Gets the command bytes in hex.</summary>
    public required string Command { get; init; }

    /// <summary>Gets the command counter file, or null for <c>~/.nanoagent/gate-{device}-{tenant}-commands.counter</c>.</summary>
    public string? CounterPath { get; init; }

    /// <summary>Gets how long to wait for the agent's answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the card whose gate verifies the command (docs/se05x.md): the MAC input order follows it.</summary>
    public GateCard Card { get; init; }

    /// <summary>Sends the command and waits for the answer.</summary>
    /// <param name="output">Where the answer is printed.</param>
    /// <param name="error">Where errors are printed.</param>
    /// <returns>The exit code.</returns>
    public int Execute(TextWriter output, TextWriter error)
    {
        try
        {
            byte[] aid = GateArguments.ParseAid(Gate);
            byte[] command = ParseCommand(Command);
            byte[] key = GateKeyFile.LoadMacKey(MacKeyPath);
            var counterFile = new GateCounterFile(CounterPath ?? GateArguments.DefaultCounterPath(Device, Tenant, "commands"));
            string responseTopic = GateTopics.ActuateResponse(Device, Tenant);
            using GateBackendClient client = Connect(responseTopic);
            byte[] request = new ActuationSigner(Device, Tenant, aid, key, counterFile, Card).Sign(Actuator, command);
            var sent = new GateEnvelope();
            sent.TryParse(request, 0, request.Length);
            // Sent again, byte for byte, while unanswered: the agent answers a copy it already handled with the same response.
            var pending = new PendingRequest(ResendPolicy.For(Timeout), () => client.Publish(GateTopics.ActuateRequest(Device, Tenant), request));
            client.Reconnected += (_, _) => pending.LinkBack();
            pending.Send();
            output.WriteLine($"sent #{sent.Counter} to {Actuator}: {Convert.ToHexString(command)}");

            var answer = new GateEnvelope();
            while (true)
            {
                if (!pending.TryTake(client.Inbox, out MqttMessage m))
                {
                    throw new GateBackendException(3, $"no answer from the agent within {Timeout.TotalSeconds:0} s (sent {pending.Sends} times): is the device online with gating on?");
                }

                // Answers to other requests (or without our counter) are skipped; a malformed request's answer has no counter.
                if (m.Topic == responseTopic && answer.TryParse(m.Payload, 0, m.Payload.Length)
                    && answer.Template == GateEnvelope.ResponseTemplate && (!answer.HasCounter || answer.Counter == sent.Counter))
                {
                    break;
                }
            }

            if (pending.Sends > 1)
            {
                output.WriteLine($"sent again {pending.Sends - 1} time(s), same bytes, after silence or a broker reconnect (docs/reliability.md)");
            }

            bool applied = answer.Status == (int)ActuationStatus.Applied;
            string result = applied && answer.Value is { Length: > 0 } ? $" (result {Convert.ToHexString(answer.Value)})" : string.Empty;
            output.WriteLine(applied ? $"APPLIED #{sent.Counter}{result}" : $"REFUSED #{sent.Counter}: {answer.Text} (reason {answer.Status})");
            if (Json)
            {
                JsonReport.Write(output, "backend actuate", applied ? 0 : 1, new
                {
                    Actuator, Counter = sent.Counter, Command = Convert.ToHexString(command), Applied = applied,
                    Result = applied && answer.Value is { Length: > 0 } ? Convert.ToHexString(answer.Value) : null,
                    Reason = applied ? null : answer.Text, ReasonCode = applied ? (int?)null : answer.Status, Sends = pending.Sends,
                });
            }

            return applied ? 0 : 1;
        }
        catch (GateBackendException e)
        {
            error.WriteLine("error: " + e.Message);
            return e.ExitCode;
        }
        catch (IOException e)
        {
            error.WriteLine("error: " + e.Message);
            return 2;
        }
    }

    private static byte[] ParseCommand(string hex)
    {
        try
        {
            byte[] bytes = Convert.FromHexString(hex);
            return bytes.Length is >= 1 and <= 64 ? bytes : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new GateBackendException(2, $"--command '{hex}' is not 1 to 64 bytes in hex");
        }
    }
}
