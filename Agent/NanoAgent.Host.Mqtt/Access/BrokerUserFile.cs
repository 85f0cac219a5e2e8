using System.Globalization;
namespace NanoAgent.Host.Mqtt.Access;

/// <summary>
/// The broker users file, kept next to the tenants file. One user a line, <c>#</c> starts a comment:
/// <c>name role scope hash</c>, where role is <c>agent</c> (scope: device id), <c>tenant</c> or <c>owner</c> (scope: tenant
/// id), <c>provision</c> (scope: device id or <c>*</c>), and hash is a mosquitto <c>$7$</c> hash
/// (<c>nanoagent broker passwd</c>) or <c>-</c> for a user who logs in by TLS client certificate only.
/// The file holds no password in clear, but hashes can be attacked offline: it must not be readable by group or others.
/// </summary>
public static class BrokerUserFile
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Parses the text form.</summary>
    /// <param name="text">The file text.</param>
    /// <returns>The users, in file order.</returns>
    /// <exception cref="FormatException">A line is malformed or a user name repeats; the message names the line.</exception>
    public static IReadOnlyList<BrokerUser> Parse(string text)
    {
        var users = new List<BrokerUser>();
        string[] lines = (text ?? string.Empty).Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n];
            int hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line[..hash];
            }

            string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            string where = "users file line " + (n + 1).ToString(CultureInfo.InvariantCulture);
            if (parts.Length != 4)
            {
                throw new FormatException($"{where} is not 'name role scope hash'");
            }

            users.Add(ParseLine(parts, where, users));
        }

        return users;
    }

    /// <summary>Reads and parses a users file, refusing one that group or others can read or write.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The users.</returns>
    /// <exception cref="FormatException">The file is malformed or too open; the message says how to fix it.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<BrokerUser> Load(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new FormatException($"broker users file '{path}' is readable or writable by group or others: chmod 600 it");
        }

        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw new FormatException($"'{path}': {e.Message}", e);
        }
    }

    /// <summary>Formats one line of the file.</summary>
    /// <param name="user">The user.</param>
    /// <returns>The line, without a line end.</returns>
    public static string Format(BrokerUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return $"{user.Name} {user.Role.ToString().ToLowerInvariant()} {user.Scope} {user.PasswordHash ?? "-"}";
    }

    private static BrokerUser ParseLine(string[] parts, string where, List<BrokerUser> before)
    {
        string name = parts[0];
        if (!IsIdentifier(name, 64))
        {
            throw new FormatException($"{where}: user name '{name}' must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }

        if (before.Any(u => u.Name == name))
        {
            throw new FormatException($"{where}: user '{name}' is listed twice");
        }

        BrokerRole role = parts[1] switch
        {
            "agent" => BrokerRole.Agent,
            "tenant" => BrokerRole.Tenant,
            "owner" => BrokerRole.Owner,
            "provision" => BrokerRole.Provision,
            _ => throw new FormatException($"{where}: role '{parts[1]}' is not agent, tenant, owner or provision"),
        };
        string scope = parts[2];
        bool anyDevice = role == BrokerRole.Provision && scope == BrokerUser.AnyDevice;
        int max = role is BrokerRole.Agent or BrokerRole.Provision ? 64 : 32;
        if (!anyDevice && !IsIdentifier(scope, max))
        {
            string what = role is BrokerRole.Agent or BrokerRole.Provision ? "device id" : "tenant id";
            throw new FormatException($"{where}: {what} '{scope}' must be 1 to {max} characters of A-Z a-z 0-9 . _ -");
        }

        string? passwordHash = parts[3] == "-" ? null : parts[3];
        if (passwordHash != null && !MosquittoPasswordHash.IsWellFormed(passwordHash))
        {
            // The hash is not echoed: a password pasted by mistake must not end up in a log.
            throw new FormatException($"{where}: the last field is neither '-' nor a $7$ hash (make one with 'nanoagent broker passwd')");
        }

        return new BrokerUser(name, role, scope, passwordHash);
    }

    /// <summary>Tells whether a text is a protocol identifier: 1 to <paramref name="max"/> characters of A-Z a-z 0-9 . _ - (docs/protocol.md §2).</summary>
    /// <param name="value">The text.</param>
    /// <param name="max">The longest allowed.</param>
    /// <returns>True when it is.</returns>
    internal static bool IsIdentifier(string? value, int max) =>
        !string.IsNullOrEmpty(value) && value.Length <= max && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
