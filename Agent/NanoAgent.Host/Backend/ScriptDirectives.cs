using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Host.Backend;

/// <summary>
/// The script lines that name a GlobalPlatform command instead of spelling its hex (docs/script-format.md, "Commands by
/// name"): <c>put-key FILE [replace KVN]</c>, <c>delete-key KVN</c>, <c>install ELF MODULE AID [PRIVILEGES]</c> and
/// <c>personalize AID</c>. PUT
/// KEY needs the session's keys: the new keys travel encrypted with the session key set's static DEK (GP Amd D §7.2),
/// which only the backend that runs the script holds.
/// </summary>
internal static class ScriptDirectives
{
    /// <summary>The words that start a directive line.</summary>
    public static readonly string[] Names = ["put-key", "delete-key", "install", "personalize"];

    /// <summary>Builds a directive's command APDU.</summary>
    /// <param name="words">The line's words before any <c>expect</c> or <c>continue</c>.</param>
    /// <param name="where">The <c>file:line</c> for messages.</param>
    /// <param name="folder">The script's folder: relative key file names are taken from there.</param>
    /// <param name="sessionKeys">The key set the script's session opens with, or null when none is known.</param>
    /// <returns>The command APDU.</returns>
    /// <exception cref="ScriptFileException">The line is malformed, or names a key file that cannot be used.</exception>
    public static byte[] Build(string[] words, string where, string folder, Scp03StaticKeys? sessionKeys)
    {
        byte[] buffer = new byte[300];
        try
        {
            return words[0].ToLowerInvariant() switch
            {
                "put-key" => buffer[..PutKey(words, where, folder, sessionKeys, buffer)],
                "delete-key" => buffer[..DeleteKey(words, where, buffer)],
                "install" => buffer[..Install(words, where, buffer)],
                _ => buffer[..Personalize(words, where, buffer)],
            };
        }
        catch (ApduException e)
        {
            throw new ScriptFileException($"{where}: {words[0]}: {e.Message}");
        }
    }

    private static int PutKey(string[] words, string where, string folder, Scp03StaticKeys? sessionKeys, byte[] buffer)
    {
        if (words.Length is not (2 or 4) || (words.Length == 4 && !words[2].Equals("replace", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ScriptFileException($"{where}: write 'put-key <key file> [replace <KVN>]'");
        }

        byte replace = GpPutKey.AddNew;
        if (words.Length == 4 && (!byte.TryParse(words[3], System.Globalization.NumberStyles.HexNumber, null, out replace) || replace is 0 or > 0x7F))
        {
            throw new ScriptFileException($"{where}: put-key: '{words[3]}' is not a key version (hex 01 to 7F)");
        }

        if (sessionKeys is null)
        {
            throw new ScriptFileException($"{where}: put-key needs the session's keys (the backend's --keys): its DEK encrypts the new keys");
        }

        string file = Path.IsPathRooted(words[1]) ? words[1] : Path.Combine(folder, words[1]);
        Scp03StaticKeys keys;
        try
        {
            keys = TenantKeyFile.Load(file);
        }
        catch (BackendException e)
        {
            throw new ScriptFileException($"{where}: put-key: {e.Message}");
        }

        return GpPutKey.Build(keys, sessionKeys, replace, buffer, 0);
    }

    // GPC v2.3.1 §11.2.2.3: DELETE [key] of a whole key set by version (tag 'D2'), e.g. the request key set a rotation replaced.
    private static int DeleteKey(string[] words, string where, byte[] buffer)
    {
        if (words.Length != 2 || !byte.TryParse(words[1], System.Globalization.NumberStyles.HexNumber, null, out byte kvn) || kvn is 0 or > 0x7F)
        {
            throw new ScriptFileException($"{where}: write 'delete-key <KVN>' (hex 01 to 7F): DELETE [key] of that key set");
        }

        return GpDelete.BuildKeySet(kvn, buffer, 0);
    }

    private static int Install(string[] words, string where, byte[] buffer)
    {
        if (words.Length is not (4 or 5))
        {
            throw new ScriptFileException($"{where}: write 'install <load file AID> <module AID> <instance AID> [privileges]' (privileges: hex, 1 or 3 bytes; 804000 makes a security domain with authorized management)");
        }

        byte[] privileges = words.Length == 5 ? Hex(words[4], where, "privileges") : [0x00];
        return GpInstall.BuildForInstallAndMakeSelectable(
            Hex(words[1], where, "load file AID"), Hex(words[2], where, "module AID"), Hex(words[3], where, "instance AID"), privileges, [], buffer, 0);
    }

    private static int Personalize(string[] words, string where, byte[] buffer)
    {
        if (words.Length != 2)
        {
            throw new ScriptFileException($"{where}: write 'personalize <AID>': the next commands (PUT KEY, STORE DATA) go to that application or domain");
        }

        byte[] aid = Hex(words[1], where, "AID");
        return GpInstall.BuildForPersonalization(aid, 0, aid.Length, buffer, 0);
    }

    private static byte[] Hex(string word, string where, string what)
    {
        try
        {
            return Convert.FromHexString(word);
        }
        catch (FormatException)
        {
            throw new ScriptFileException($"{where}: the {what} '{word}' is not hex");
        }
    }
}
