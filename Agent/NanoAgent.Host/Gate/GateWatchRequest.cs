using System.Buffers.Binary;
using System.Globalization;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Gate;

/// <summary>
/// <c>nanoagent backend watch</c>: subscribes to a tenant's signed readings (<c>nanoagent/{device}/{tenant}/reading/+</c>),
/// verifies each with <see cref="GateVerifier"/> (counter persisted in a <see cref="GateCounterFile"/>, so a restarted
/// watcher keeps rejecting replays) and prints one line per reading. Exit 0 when every reading verified, 1 if any was
/// rejected, 2 for bad arguments or key files, 3 when the broker is unreachable.
/// </summary>
public sealed class GateWatchRequest : GateBackendRequest
{
    /// <summary>Gets the gate instance AID in hex.</summary>
    public required string Gate { get; init; }

    /// <summary>Gets the MAC key file (hex, mode 600), or null when <see cref="PublicKeyPath"/> is given.</summary>
    public string? MacKeyPath { get; init; }

    /// <summary>Gets the public key file ('04' || X || Y in hex) for ECDSA-signed readings, or null.</summary>
    public string? PublicKeyPath { get; init; }

    /// <summary>Gets the number of readings after which to stop, or null.</summary>
    public int? Count { get; init; }

    /// <summary>Gets the number of seconds after which to stop, or null (with no count either: run until killed).</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Gets the counter state file, or null for <c>~/.nanoagent/gate-{device}-{tenant}-readings.counter</c>.</summary>
    public string? StatePath { get; init; }

    /// <summary>Gets the card whose gate signs the readings (docs/se05x.md): the MAC input order and the KCV follow it.</summary>
    public GateCard Card { get; init; }

    /// <summary>Formats a verification as the watcher prints it.</summary>
    /// <param name="v">The verification.</param>
    /// <returns><c>VERIFIED #12 energy 1383.437 kWh at 2026-11-23T14:53:17Z</c> or <c>REJECTED (replayed: …)</c>.</returns>
    public static string Describe(GateVerification v) => v.IsAccepted
        ? $"VERIFIED #{v.Counter} {v.Sensor} {ValueText(v.Value)}{(v.Unit is null ? string.Empty : " " + v.Unit)}{(v.Timestamp > 0 ? " at " + TimeText(v.Timestamp) : string.Empty)}"
        : $"REJECTED ({VerdictName(v.Verdict)}: {v.Reason})";

    /// <summary>Runs the watcher.</summary>
    /// <param name="output">Where readings are printed.</param>
    /// <param name="error">Where errors are printed.</param>
    /// <param name="stop">Ends the watch as --count or --duration would (SIGTERM): the summary, the exit code of the readings so far.</param>
    /// <returns>The exit code.</returns>
    public int Execute(TextWriter output, TextWriter error, CancellationToken stop = default)
    {
        try
        {
            GateVerifier verifier = CreateVerifier();
            using GateBackendClient client = Connect(GateTopics.Reading(Device, Tenant, "+"));
            if (!Json)
            {
                output.WriteLine($"watching {GateTopics.Reading(Device, Tenant, "+")} (gate {Gate.ToUpperInvariant()})");
            }

            DateTime? deadline = DurationSeconds is double s ? DateTime.UtcNow.AddSeconds(s) : null;
            int received = 0, rejected = 0;
            while (Count is not int max || received < max)
            {
                TimeSpan wait = deadline is DateTime d ? Max0(d - DateTime.UtcNow) : Timeout.InfiniteTimeSpan;
                MqttMessage? message = client.Next(wait, stop);
                if (message is null)
                {
                    break;
                }

                GateVerification v = verifier.Verify(message.Payload);
                received++;
                rejected += v.IsAccepted ? 0 : 1;
                if (Json)
                {
                    JsonReport.WriteEvent(output, ToJson(v, message.Topic));
                }
                else
                {
                    output.WriteLine(Describe(v));
                    output.Flush();
                }
            }

            int exit = rejected > 0 ? 1 : 0;
            if (Json)
            {
                JsonReport.Write(output, "backend watch", exit, new { Received = received, Verified = received - rejected, Rejected = rejected }, oneLine: true);
            }
            else
            {
                output.WriteLine($"{received} reading(s), {received - rejected} verified, {rejected} rejected");
            }

            return exit;
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

    private GateVerifier CreateVerifier()
    {
        byte[] aid = GateArguments.ParseAid(Gate);
        string state = StatePath ?? GateArguments.DefaultCounterPath(Device, Tenant, "readings");
        var counter = new GateCounterFile(state);
        counter.Read(); // a corrupt counter file is refused now, not at the first reading
        if ((MacKeyPath is null) == (PublicKeyPath is null))
        {
            throw new GateBackendException(2, "give either --mac-key-file (CMAC'd readings) or --public-key (ECDSA-signed readings)");
        }

        return MacKeyPath is not null
            ? new GateVerifier(Device, Tenant, aid, GateKeyFile.LoadMacKey(MacKeyPath), counter, Card)
            : GateVerifier.ForSignatures(Device, Tenant, aid, GateKeyFile.LoadPublicKey(PublicKeyPath!), counter);
    }

    private static Dictionary<string, object?> ToJson(GateVerification v, string topic) => new()
    {
        ["event"] = "reading",
        ["topic"] = topic,
        ["verdict"] = VerdictName(v.Verdict),
        ["reason"] = v.Reason,
        ["counter"] = v.Counter,
        ["sensor"] = v.Sensor,
        ["value"] = v.Value is null ? null : ValueText(v.Value),
        ["unit"] = v.Unit,
        ["timestamp"] = v.Timestamp > 0 ? TimeText(v.Timestamp) : null,
    };

    private static string VerdictName(GateVerdict verdict) => verdict switch
    {
        GateVerdict.Accepted => "verified",
        GateVerdict.Malformed => "malformed",
        GateVerdict.Tampered => "tampered",
        GateVerdict.Replayed => "replayed",
        _ => "wrong key",
    };

    // An 8-byte value is a signed big-endian count of thousandths (SimulatedMeter's encoding); anything else is shown in hex.
    private static string ValueText(byte[]? value) => value is { Length: 8 }
        ? (BinaryPrimitives.ReadInt64BigEndian(value) / 1000m).ToString("0.000", CultureInfo.InvariantCulture)
        : Convert.ToHexString(value ?? []);

    private static string TimeText(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static TimeSpan Max0(TimeSpan t) => t > TimeSpan.Zero ? t : TimeSpan.Zero;
}
