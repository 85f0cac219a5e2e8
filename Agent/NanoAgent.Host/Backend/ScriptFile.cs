using System.Globalization;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Host.Backend;

/// <summary>
/// The readable script format a stakeholder's backend sends (documented in docs/script-format.md):
/// one APDU per line in hex (or a GlobalPlatform command by name: <c>put-key</c>, <c>install</c>, <c>personalize</c>, see
/// <see cref="ScriptDirectives"/>), optionally followed by the expected status word and <c>continue</c>; <c>#</c> starts a
/// comment; <c>sd AID</c> names the security domain the script is for.
/// </summary>
/// <example>
/// <code>
/// sd A000000151535341          # tenant A's SSD
/// 80F28002024F00 expect 9000   # GET STATUS
/// 80CA9F7F00 expect 61XX continue
/// </code>
/// </example>
public sealed class ScriptFile
{
    /// <summary>Gets the target security domain AID, or null when the file names none.</summary>
    public byte[]? SecurityDomain { get; private init; }

    /// <summary>Gets the steps in order.</summary>
    public IReadOnlyList<ScriptFileStep> Steps { get; private init; } = [];

    /// <summary>Gets the script's name (the file name without its folder), used to name steps as <c>name:line</c>.</summary>
    public string Name { get; private init; } = "script";

    /// <summary>Reads a script file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="sessionKeys">The key set the script's session opens with (for <c>put-key</c> lines), or null.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ScriptFileException">The file is missing or malformed.</exception>
    public static ScriptFile Load(string path, Scp03StaticKeys? sessionKeys = null)
    {
        if (Directory.Exists(path))
        {
            throw new ScriptFileException($"{path}: is a directory, not a script file");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new ScriptFileException($"{path}: cannot read: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ScriptFileException($"{path}: cannot read: {e.Message}");
        }

        return Parse(text, path, sessionKeys);
    }

    /// <summary>Parses script text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="name">A name for messages (the file name; its folder is where <c>put-key</c> looks for relative key files).</param>
    /// <param name="sessionKeys">The key set the script's session opens with (for <c>put-key</c> lines), or null.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ScriptFileException">A line is malformed.</exception>
    public static ScriptFile Parse(string text, string name = "script", Scp03StaticKeys? sessionKeys = null)
    {
        var steps = new List<ScriptFileStep>();
        byte[]? sd = null;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int lineNumber = i + 1;
            string line = lines[i];
            int hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line[..hash];
            }

            string[] words = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            string Where() => $"{name}:{lineNumber}";
            if (words[0].Equals("sd", StringComparison.OrdinalIgnoreCase))
            {
                if (words.Length != 2 || sd is not null)
                {
                    throw new ScriptFileException($"{Where()}: write the security domain once, as 'sd <AID in hex>'");
                }

                sd = ParseHex(words[1], Where(), "AID");
                if (sd.Length < 5 || sd.Length > 16)
                {
                    throw new ScriptFileException($"{Where()}: an AID is 5 to 16 bytes, this one is {sd.Length}");
                }

                continue;
            }

            byte[] apdu;
            int options = 1;
            if (Array.Exists(ScriptDirectives.Names, d => d.Equals(words[0], StringComparison.OrdinalIgnoreCase)))
            {
                while (options < words.Length && !words[options].Equals("expect", StringComparison.OrdinalIgnoreCase)
                    && !words[options].Equals("continue", StringComparison.OrdinalIgnoreCase))
                {
                    options++;
                }

                apdu = ScriptDirectives.Build(words[..options], Where(), Path.GetDirectoryName(name) ?? string.Empty, sessionKeys);
            }
            else
            {
                apdu = ParseHex(words[0], Where(), "APDU");
                if (CommandApduView.TryParse(apdu, 0, apdu.Length, out _) != 0)
                {
                    throw new ScriptFileException($"{Where()}: '{words[0]}' is not a well-formed command APDU (ISO 7816-4 cases 1-4)");
                }
            }

            ushort sw = 0x9000, mask = 0xFFFF;
            bool carryOn = false;
            for (int w = options; w < words.Length; w++)
            {
                if (words[w].Equals("expect", StringComparison.OrdinalIgnoreCase) && w + 1 < words.Length)
                {
                    (sw, mask) = ParseSw(words[++w], Where());
                }
                else if (words[w].Equals("continue", StringComparison.OrdinalIgnoreCase))
                {
                    carryOn = true;
                }
                else
                {
                    throw new ScriptFileException($"{Where()}: unexpected '{words[w]}': after the APDU write 'expect <SW>' and/or 'continue'");
                }
            }

            steps.Add(new ScriptFileStep(apdu, sw, mask, carryOn, lineNumber));
        }

        if (steps.Count == 0)
        {
            throw new ScriptFileException($"{name}: no APDU in the script");
        }

        return new ScriptFile { SecurityDomain = sd, Steps = steps, Name = Path.GetFileName(name) };
    }

    private static byte[] ParseHex(string word, string where, string what)
    {
        if (word.Length % 2 != 0)
        {
            throw new ScriptFileException($"{where}: the {what} '{word}' has an odd number of hex digits");
        }

        try
        {
            return Convert.FromHexString(word);
        }
        catch (FormatException)
        {
            throw new ScriptFileException($"{where}: the {what} '{word}' is not hex");
        }
    }

    private static (ushort Sw, ushort Mask) ParseSw(string word, string where)
    {
        if (word.Length != 4)
        {
            throw new ScriptFileException($"{where}: a status word is 4 hex digits, X for any (e.g. 9000, 61XX), not '{word}'");
        }

        int sw = 0, mask = 0;
        foreach (char c in word)
        {
            sw <<= 4;
            mask <<= 4;
            if (c is 'X' or 'x')
            {
                continue;
            }

            if (!int.TryParse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int digit))
            {
                throw new ScriptFileException($"{where}: '{word}' is not a status word pattern (hex digits or X)");
            }

            sw |= digit;
            mask |= 0xF;
        }

        return ((ushort)sw, (ushort)mask);
    }
}
