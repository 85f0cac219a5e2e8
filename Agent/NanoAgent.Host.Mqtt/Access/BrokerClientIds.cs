using System.Security.Cryptography;

namespace NanoAgent.Host.Mqtt.Access;

/// <summary>
/// The MQTT client ids each login may connect under (docs/broker-security.md, "Client ids"). A broker closes a connection
/// when another one logs in with the same client id (MQTT 3.1.1 §3.1.4-2, MQTT 5 §3.1.4-3), so a login that could claim the
/// agent's id could keep the device off the broker. With a users file, an <c>agent</c> login connects only as its user
/// name; any other login as its user name or <c>name:suffix</c> (suffix: 1 to 64 of <c>A-Z a-z 0-9 . _ -</c>). A user name
/// cannot hold <c>:</c>, so no two logins share a client id. mosquitto's <c>use_username_as_clientid</c> enforces the
/// narrower rule (every login exactly its user name).
/// </summary>
public static class BrokerClientIds
{
    /// <summary>Separates a login's user name from the rest of a client id; never part of a user name.</summary>
    public const char Separator = ':';

    private const int MaxSuffix = 64;

    /// <summary>Tells whether a login may connect under a client id.</summary>
    /// <param name="user">The logged-in user.</param>
    /// <param name="clientId">The client id of its CONNECT.</param>
    /// <returns>True for the user's own ids.</returns>
    public static bool Owns(BrokerUser user, string? clientId)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (clientId == null || !clientId.StartsWith(user.Name, StringComparison.Ordinal))
        {
            return false;
        }

        if (clientId.Length == user.Name.Length)
        {
            return true;
        }

        if (user.Role == BrokerRole.Agent || clientId[user.Name.Length] != Separator)
        {
            return false;
        }

        string suffix = clientId[(user.Name.Length + 1)..];
        return suffix.Length is > 0 and <= MaxSuffix && suffix.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
    }

    /// <summary>Describes the client ids a user may take, for refusal messages.</summary>
    /// <param name="user">The user.</param>
    /// <returns>For example <c>'acme-be' or 'acme-be:&lt;suffix&gt;'</c>.</returns>
    public static string Rule(BrokerUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Role == BrokerRole.Agent ? $"only '{user.Name}'" : $"'{user.Name}' or '{user.Name}{Separator}<suffix>'";
    }

    /// <summary>Makes the client id a broker gives a client that sent an empty one (MQTT 3.1.1 §3.1.3.1, MQTT 5 §3.2.2.3.7).</summary>
    /// <param name="user">The logged-in user, or null without per-user rules.</param>
    /// <returns>The agent's user name, <c>name:auto-&lt;hex&gt;</c> for another user, or <c>auto-&lt;hex&gt;</c>.</returns>
    public static string Assign(BrokerUser? user) => user switch
    {
        { Role: BrokerRole.Agent } => user.Name,
        not null => $"{user.Name}{Separator}auto-{RandomHex()}",
        null => "auto-" + RandomHex(),
    };

    /// <summary>The client id of a device's agent: its broker user name, or <c>nanoagent-&lt;device&gt;</c> without a login.</summary>
    /// <param name="user">The agent's user name, or null.</param>
    /// <param name="device">The device id.</param>
    /// <returns>The client id.</returns>
    public static string Agent(string? user, string device) => string.IsNullOrEmpty(user) ? "nanoagent-" + device : user;

    /// <summary>A client id for one of a login's tools (backend, watch, provisioning console): unique per connection.</summary>
    /// <param name="user">The user name, or null without a login.</param>
    /// <param name="tool">What connects, e.g. <c>backend</c> (<c>A-Z a-z 0-9 . _ -</c>).</param>
    /// <returns><c>name:tool-&lt;hex&gt;</c>, or <c>nanoagent-tool-&lt;hex&gt;</c> without a login.</returns>
    public static string ForTool(string? user, string tool) =>
        string.IsNullOrEmpty(user) ? $"nanoagent-{tool}-{RandomHex()}" : $"{user}{Separator}{tool}-{RandomHex()}";

    private static string RandomHex() => Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
}
