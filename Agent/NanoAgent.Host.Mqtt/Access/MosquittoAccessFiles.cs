using System.Text;

namespace NanoAgent.Host.Mqtt.Access;

/// <summary>
/// Writes a <see cref="BrokerAccessPolicy"/> as mosquitto's <c>password_file</c> (<c>user:$7$...</c> lines; certificate-only
/// users are left out) and <c>acl_file</c> (<c>user</c> then <c>topic read|write filter</c> lines, mosquitto.conf(5)),
/// so a mosquitto broker enforces the same rules as the embedded one.
/// </summary>
public static class MosquittoAccessFiles
{
    /// <summary>The password file's name in the output folder.</summary>
    public const string PasswordFileName = "mosquitto.passwd";

    /// <summary>The ACL file's name in the output folder.</summary>
    public const string AclFileName = "mosquitto.acl";

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

    /// <summary>Writes both files into a folder (created if missing), readable and writable by the owner only.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="directory">The folder.</param>
    /// <returns>The password file's and the ACL file's paths.</returns>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static (string PasswordFile, string AclFile) Write(BrokerAccessPolicy policy, string directory)
    {
        Directory.CreateDirectory(directory);
        string passwords = Path.Combine(directory, PasswordFileName);
        string acl = Path.Combine(directory, AclFileName);
        WriteOwnerOnly(passwords, PasswordFile(policy));
        WriteOwnerOnly(acl, AclFile(policy));
        return (passwords, acl);
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
