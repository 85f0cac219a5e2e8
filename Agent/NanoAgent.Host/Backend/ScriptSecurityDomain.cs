namespace NanoAgent.Host.Backend;

/// <summary>The security domain a script runs in: <c>--sd</c>, the script's own <c>sd</c> line, or both when they agree.</summary>
public static class ScriptSecurityDomain
{
    /// <summary>Resolves the AID.</summary>
    /// <param name="option">The <c>--sd</c> value in hex, or null.</param>
    /// <param name="script">The loaded script.</param>
    /// <param name="scriptPath">The script's path, for the message.</param>
    /// <returns>The AID.</returns>
    /// <exception cref="BackendException">Exit code 2: not hex, not 5 to 16 bytes, differs from the script, or named nowhere.</exception>
    public static byte[] Resolve(string? option, ScriptFile script, string scriptPath)
    {
        byte[]? aid = null;
        if (option is not null)
        {
            try
            {
                aid = Convert.FromHexString(option);
            }
            catch (FormatException)
            {
                throw new BackendException(2, $"--sd '{option}' is not hex");
            }

            if (aid.Length is < 5 or > 16)
            {
                throw new BackendException(2, "--sd: an AID is 5 to 16 bytes");
            }
        }

        if (aid is not null && script.SecurityDomain is not null && !aid.AsSpan().SequenceEqual(script.SecurityDomain))
        {
            throw new BackendException(2, $"--sd {option} differs from the script's 'sd {Convert.ToHexString(script.SecurityDomain)}'");
        }

        return aid ?? script.SecurityDomain ?? throw new BackendException(2, $"{scriptPath}: no 'sd' line: name the security domain with --sd AID");
    }
}
