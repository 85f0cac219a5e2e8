using System.CommandLine;
using NanoAgent.Host.Mqtt;

namespace NanoAgent.Host.Cli;

/// <summary>
/// The options every <c>backend</c> command that talks to a tenant's SD through the relay shares: the broker and its login
/// (TLS included), the device, the tenant, its request key, its SD and channel, the state file and the answer timeout.
/// </summary>
public sealed class BackendTargetOptions
{
    /// <summary>Creates the options.</summary>
    /// <param name="tenantDescription">What <c>--tenant</c> names for this command.</param>
    /// <param name="sdDescription">What <c>--sd</c> defaults to for this command.</param>
    /// <param name="channelDescription">What <c>--channel</c> is for this command.</param>
    public BackendTargetOptions(string tenantDescription, string sdDescription, string channelDescription)
    {
        Tenant = new Option<string>("--tenant") { Description = tenantDescription, Required = true };
        Sd = new Option<string?>("--sd") { Description = sdDescription };
        Channel = new Option<int>("--channel") { Description = channelDescription };
    }

    /// <summary>Gets the broker address option.</summary>
    public Option<string> Broker { get; } = new("--broker") { Description = "MQTT broker, mqtt://host:port or mqtts://host:port", DefaultValueFactory = _ => "mqtt://127.0.0.1:1883" };

    /// <summary>Gets the broker user option.</summary>
    public Option<string?> User { get; } = new("--user") { Description = "broker user name" };

    /// <summary>Gets the broker password option.</summary>
    public Option<string?> Password { get; } = new("--password") { Description = "broker password (or --password-file)" };

    /// <summary>Gets the TLS and password-file options.</summary>
    public BrokerClientOptions Tls { get; } = new();

    /// <summary>Gets the device option.</summary>
    public Option<string> Device { get; } = new("--device") { Description = "the device id (topic nanoagent/<device>/...)", Required = true };

    /// <summary>Gets the tenant option.</summary>
    public Option<string> Tenant { get; }

    /// <summary>Gets the request key option.</summary>
    public Option<string> RequestKey { get; } = new("--request-key") { Description = "the tenant's request key set (KVN 60-6F, JSON {kvn, enc, mac, dek}, mode 600): every request is MAC'd with it (docs/protocol.md §3.9)", Required = true };

    /// <summary>Gets the SD option.</summary>
    public Option<string?> Sd { get; }

    /// <summary>Gets the logical channel option.</summary>
    public Option<int> Channel { get; }

    /// <summary>Gets the state file option.</summary>
    public Option<string?> State { get; } = new("--state") { Description = "backend state file (counters); default ~/.nanoagent/backend-<tenant>.json" };

    /// <summary>Gets the timeout option.</summary>
    public Option<int> Timeout { get; } = new("--timeout") { Description = "seconds to wait for each answer of the agent with nothing heard; the request is sent again, same bytes, every 5 s meanwhile and after a broker reconnect", DefaultValueFactory = _ => 30 };

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        Tls.AddTo(command);
        foreach (Option option in new Option[] { Broker, User, Password, Device, Tenant, RequestKey, Sd, Channel, State, Timeout })
        {
            command.Add(option);
        }
    }

    /// <summary>Reads the broker's TLS settings and the password (option or file); false after printing a usage error.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="mqtt">The TLS settings, or null for plain MQTT.</param>
    /// <param name="password">The password, or null.</param>
    /// <returns>True when both could be read.</returns>
    public bool TryReadLogin(ParseResult parse, out MqttNetSettings? mqtt, out string? password)
    {
        password = null;
        return Tls.TryRead(parse, out mqtt) && Tls.TryReadPassword(parse, Password, out password);
    }
}
