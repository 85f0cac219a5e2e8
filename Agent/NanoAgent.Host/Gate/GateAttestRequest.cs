using System.Security.Cryptography;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Common;
using NanoAgent.Host.Delivery;

namespace NanoAgent.Host.Gate;

/// <summary>
/// <c>nanoagent backend attest</c>: asks the agent for an attested read of a sensor behind the SE05x with fresh random
/// freshness, waits for the answer and verifies it with the tenant's attestation key (<see cref="AttestationVerifier"/>).
/// </summary>
public sealed class GateAttestRequest : GateBackendRequest
{
    /// <summary>Gets the sensor id.</summary>
    public required string Sensor { get; init; }

    /// <summary>Gets the file holding the attestation key's public part (<c>04 ‖ X ‖ Y</c> in hex).</summary>
    public required string PublicKeyPath { get; init; }

    /// <summary>Gets how long to wait for the answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sends the request and checks the answer.</summary>
    /// <param name="output">Where the verdict is printed.</param>
    /// <param name="error">Where errors are printed.</param>
    /// <returns>0 attested, 1 rejected, 2 bad arguments, 3 broker unreachable or no answer.</returns>
    public int Execute(TextWriter output, TextWriter error)
    {
        try
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(Sensor, "^[A-Za-z0-9._-]{1,64}$"))
            {
                throw new GateBackendException(2, $"--sensor '{Sensor}' is not an identifier");
            }

            AttestationVerifier verifier;
            try
            {
                verifier = new AttestationVerifier(Device, Tenant, GateKeyFile.LoadPublicKey(PublicKeyPath));
            }
            catch (ArgumentException e)
            {
                throw new GateBackendException(2, $"{PublicKeyPath}: {e.Message}");
            }

            byte[] freshness = RandomNumberGenerator.GetBytes(AttestationEnvelope.FreshnessLength);
            string responseTopic = GateTopics.AttestResponse(Device, Tenant);
            using GateBackendClient client = Connect(responseTopic);
            byte[] request = AttestationEnvelope.WriteRequest(Sensor, freshness);
            var pending = new PendingRequest(ResendPolicy.For(Timeout), () => client.Publish(GateTopics.AttestRequest(Device, Tenant), request));
            client.Reconnected += (_, _) => pending.LinkBack();
            pending.Send();
            var answer = new AttestationEnvelope();
            while (true)
            {
                if (!pending.TryTake(client.Inbox, out MqttMessage m))
                {
                    throw new GateBackendException(3, $"no answer from the agent within {Timeout.TotalSeconds:0} s: is the device online with attested sensors?");
                }

                // A re-sent request is read again by the SE: the first answer carrying our freshness is the one we check.
                if (m.Topic == responseTopic && answer.TryParse(m.Payload, 0, m.Payload.Length) && answer.Freshness is { } f && f.AsSpan().SequenceEqual(freshness))
                {
                    AttestationVerdict verdict = verifier.Verify(m.Payload, Sensor, freshness);
                    output.WriteLine(verdict.IsAccepted
                        ? $"ATTESTED {Sensor} {Convert.ToHexString(verdict.Value!)} (chip {Convert.ToHexString(verdict.ChipId!)}, SE time {Convert.ToHexString(verdict.Timestamp!)})"
                        : $"REJECTED {Sensor}: {verdict.Reason}");
                    int exit = verdict.IsAccepted ? ExitCodes.Ok : ExitCodes.Failed;
                    if (Json)
                    {
                        JsonReport.Write(output, "backend attest", exit, new
                        {
                            Sensor, Freshness = Convert.ToHexString(freshness), Attested = verdict.IsAccepted,
                            Value = Hex(verdict.Value), ChipId = Hex(verdict.ChipId), SeTime = Hex(verdict.Timestamp),
                            Reason = verdict.IsAccepted ? null : verdict.Reason, Sends = pending.Sends,
                        });
                    }

                    return exit;
                }
            }
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

    private static string? Hex(byte[]? bytes) => bytes is null ? null : Convert.ToHexString(bytes);
}
