using System.Text;

namespace NanoAgent.Host.Mqtt.Access;

/// <summary>
/// Writes a <see cref="BrokerAccessPolicy"/> as mosquitto's <c>password_file</c> (<c>user:$7$...</c> lines; certificate-only
/// users are left out) and <c>acl_file</c> (<c>user</c> then <c>topic read|write filter</c> lines, mosquitto.conf(5)), and a
/// configuration file that uses them with <c>use_username_as_clientid</c> on its listener (what binds a client id to its
/// login: an ACL file cannot), so a mosquitto broker enforces the same rules as the embedded one.
/// </summary>
public static class MosquittoAccessFiles
{
    /// <summary>The password file's name in the output folder.</summary>
    public const string PasswordFileName = "mosquitto.passwd";

    /// <summary>The ACL file's name in the output folder.</summary>
    public const string AclFileName = "mosquitto.acl";

    /// <summary>The configuration file's name in the output folder (for <c>/etc/mosquitto/conf.d/</c>).</summary>
    public const string ConfigFileName = "nanoagent.conf";

    /// <summary>The listener a configuration file opens unless told otherwise: port 1883 on every interface.</summary>
    public const string DefaultListener = "1883";

    /// <summary>Formats the password file.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The file text.</returns>
    public static string PasswordFile(BrokerAccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var text = new StringBuilder();
        foreach (BrokerGrant grant in policy.Grants.Where(g => g.User.PasswordHash != null))
        {
            text.Append(grant.User.Name).Append(':').Append(grant.User.PasswordHash).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Formats the ACL file.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The file text.</returns>
    public static string AclFile(BrokerAccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var text = new StringBuilder("# Written by 'nanoagent broker acl' (docs/broker-security.md). Users not listed here get no topic.\n");
        foreach (BrokerGrant grant in policy.Grants)
        {
            text.Append('\n').Append("# ").Append(grant.User.ToString()).Append('\n');
            text.Append("user ").Append(grant.User.Name).Append('\n');
            foreach (string filter in grant.Read)
            {
                text.Append("topic read ").Append(filter).Append('\n');
            }

            foreach (string filter in grant.Write)
            {
                text.Append("topic write ").Append(filter).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Formats the configuration file (mosquitto.conf(5) lines).</summary>
    /// <param name="passwordFile">The password file's absolute path.</param>
    /// <param name="aclFile">The ACL file's absolute path.</param>
    /// <param name="listener">What follows <c>listener</c>: a port, and optionally a bind address (<c>1883 127.0.0.1</c>).</param>
    /// <returns>The file text.</returns>
    public static string ConfigFile(string passwordFile, string aclFile, string listener = DefaultListener) =>
        $"""
        # Written by 'nanoagent broker acl' (docs/broker-security.md). Put this file in /etc/mosquitto/conf.d/ (Debian's
        # mosquitto.conf includes that folder) or copy its lines into mosquitto.conf; the mosquitto user must be able to
        # read both files named here.
        allow_anonymous false
        password_file {passwordFile}
        acl_file {aclFile}

        listener {listener}
        # Every client's id becomes its user name: no login can connect under another login's client id (a second
        # connection with an id closes the first, MQTT 3.1.1 §3.1.4-2), so no tenant can knock the agent off the broker.
        # One connection per login at a time: give each tool that runs at the same time its own user.
        # A listener setting: repeat it under every listener (e.g. a TLS listener on 8883 with cafile, certfile, keyfile).
        use_username_as_clientid true

        """.ReplaceLineEndings("\n");

    /// <summary>Writes the three files into a folder (created if missing), readable and writable by the owner only.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="directory">The folder.</param>
    /// <param name="listener">What follows <c>listener</c> in the configuration file (<see cref="ConfigFile"/>).</param>
    /// <returns>The password file's, the ACL file's and the configuration file's paths.</returns>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static (string PasswordFile, string AclFile, string ConfigFile) Write(BrokerAccessPolicy policy, string directory, string listener = DefaultListener)
    {
        Directory.CreateDirectory(directory);
        string passwords = Path.Combine(directory, PasswordFileName);
        string acl = Path.Combine(directory, AclFileName);
        string config = Path.Combine(directory, ConfigFileName);
        WriteOwnerOnly(passwords, PasswordFile(policy));
        WriteOwnerOnly(acl, AclFile(policy));
        WriteOwnerOnly(config, ConfigFile(Path.GetFullPath(passwords), Path.GetFullPath(acl), listener));
        return (passwords, acl, config);
    }

    private static void WriteOwnerOnly(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(text);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies to new files only: an existing file keeps its mode unless set again.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
