using NanoAgent.Agent.Mqtt;
using NanoAgent.Host.Mqtt;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Provision;

/// <summary>The <c>nanoagent provision</c> command's work: load and verify the bundle, start the embedded broker if asked,
/// run the console. Every refusal happens before anything is published.</summary>
public sealed class ProvisionRun
{
    /// <summary>Gets the bundle file.</summary>
    public required string BundlePath { get; init; }

    /// <summary>Gets the issuer's public key (PEM).</summary>
    public required string IssuerKeyPath { get; init; }

    /// <summary>Gets the broker URL, used when <see cref="EmbeddedBrokerPort"/> is null.</summary>
    public string Broker { get; init; } = "mqtt://127.0.0.1:1883";

    /// <summary>Gets the port of an embedded broker to run on this laptop, or null.</summary>
    public int? EmbeddedBrokerPort { get; init; }

    /// <summary>
    /// Gets the access rules the embedded broker enforces (per-user logins and topic rules, docs/broker-security.md), or
    /// null for an anonymous broker; ignored without <see cref="EmbeddedBrokerPort"/>.
    /// </summary>
    public NanoAgent.Host.Mqtt.Access.BrokerAccessPolicy? BrokerAccess { get; init; }

    /// <summary>Gets the console options (the broker is filled in here).</summary>
    public required ProvisionOptions Options { get; init; }

    /// <summary>Gets a value indicating whether the outcome is printed as the JSON envelope (docs/json.md).</summary>
    public bool Json { get; init; }

    private System.Security.Cryptography.ECDsa LoadIssuerKey()
    {
        try
        {
            return BundleIssuerKey.Load(IssuerKeyPath);
        }
        catch (ProvisionBundleException e)
        {
            throw new InputFileException(IssuerKeyPath, $"not a usable bundle issuer key ({e.InnerException?.Message ?? e.Message})", e);
        }
    }

    /// <summary>Runs.</summary>
    /// <param name="output">Normal output.</param>
    /// <param name="error">Errors.</param>
    /// <param name="cancel">Stops the run between messages.</param>
    /// <returns>The exit code: 0 all items completed, 1 refused or not complete, 2 usage or an unusable file, 3 broker or device unreachable.</returns>
    /// <exception cref="InputFileException">The bundle, the issuer key or the journal cannot be used.</exception>
    public int Execute(TextWriter output, TextWriter error, CancellationToken cancel = default)
    {
        ProvisionBundle bundle;
        try
        {
            byte[] data = InputFile.ReadBytes(BundlePath, "bundle file");
            try
            {
                bundle = ProvisionBundle.Parse(data);
            }
            catch (ProvisionBundleException e) when (e.Error == ProvisionBundleError.Malformed)
            {
                throw new InputFileException(BundlePath, e.Message, e);
            }

            using var issuer = LoadIssuerKey();
            bundle.VerifySignature(issuer);
        }
        catch (ProvisionBundleException e)
        {
            error.WriteLine($"bundle refused, nothing was sent: {e.Message}");
            return ExitCodes.Failed;
        }

        EmbeddedBroker? broker = null;
        try
        {
            if (EmbeddedBrokerPort is int port)
            {
                // Boards on the laptop's network must reach it, so it listens on every IPv4 interface.
                broker = new EmbeddedBroker(port)
                {
                    BindAddress = System.Net.IPAddress.Any,
                    AccessPolicy = BrokerAccess,
                    Log = BrokerAccess is null ? null : line => { lock (output) { output.WriteLine("broker: " + line); } },
                };
                broker.Start();
                Options.Broker = broker.Address;
                output.WriteLine($"embedded broker listening on port {broker.Port} of every IPv4 interface (devices connect to this laptop's address)"
                    + (BrokerAccess is null ? "; anonymous: anyone on this network can publish" : $"; {BrokerAccess.Grants.Count} users, topic rules enforced"));
            }
            else if (MqttBrokerAddress.TryParse(Broker, out MqttBrokerAddress? address))
            {
                Options.Broker = address;
            }
            else
            {
                error.WriteLine($"not a broker address: {Broker} (use mqtt://host:port or mqtts://host:port)");
                return ExitCodes.Usage;
            }

            var console = new ProvisionConsole(Options, output);
            int exit = console.Run(bundle, cancel);
            if (Json)
            {
                // The receipt's fields, where it was written, and why the run stopped (null: complete).
                var data = (System.Text.Json.Nodes.JsonObject)console.Receipt!.DeepClone();
                data["receiptFile"] = Options.ReceiptPath;
                data["journalFile"] = Options.JournalPath;
                data["stopped"] = console.Stopped;
                data["resumable"] = console.Resumable;
                JsonReport.Write(output, "provision", exit, data);
            }

            return exit;
        }
        catch (ProvisionBundleException e)
        {
            error.WriteLine($"bundle refused, nothing was sent: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (MqttConnectionRefusedException e)
        {
            error.WriteLine($"the broker {Options.Broker?.ToString() ?? Broker} refused the login: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (MqttConnectionException e)
        {
            error.WriteLine($"cannot reach the broker {Options.Broker?.ToString() ?? Broker}: {e.Message}");
            return ExitCodes.NoDevice;
        }
        finally
        {
            broker?.Dispose();
        }
    }
}
