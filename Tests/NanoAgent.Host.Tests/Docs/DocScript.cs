using System.Text;
using System.Text.RegularExpressions;

namespace NanoAgent.Host.Tests.Docs;

/// <summary>
/// The commands of a Markdown document that a test runs in order (docs/walkthrough.md, "How this document is tested"):
/// every fenced block opened with <c>```sh</c>, split into commands (a line; lines ending in <c>\</c> continue it; a
/// here-document runs to its end word); blank and comment lines are not commands. A trailing <c>#=&gt;</c> comment states
/// the exit code (<c>exit N</c>) and the texts the output must contain (each in double quotes).
/// </summary>
public static partial class DocScript
{
    public static IReadOnlyList<DocCommand> Parse(string markdown)
    {
        var commands = new List<DocCommand>();
        string[] lines = markdown.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        bool inSh = false, inOther = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string trimmed = line.Trim();
            if (!inSh && !inOther && trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                inSh = trimmed == "```sh";
                inOther = !inSh;
                continue;
            }

            if ((inSh || inOther) && trimmed == "```")
            {
                inSh = inOther = false;
                continue;
            }

            if (!inSh || trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            int start = i;
            var text = new StringBuilder(line);
            while (line.TrimEnd().EndsWith('\\') && i + 1 < lines.Length)
            {
                line = lines[++i];
                text.Append('\n').Append(line);
            }

            if (HereDocument().Match(text.ToString()) is { Success: true } here)
            {
                string end = here.Groups["end"].Value;
                while (i + 1 < lines.Length)
                {
                    line = lines[++i];
                    text.Append('\n').Append(line);
                    if (line.Trim() == end)
                    {
                        break;
                    }
                }
            }

            commands.Add(Command(text.ToString(), start + 1));
        }

        return commands;
    }

    private static DocCommand Command(string text, int line)
    {
        string first = text.Split('\n')[0];
        string last = text.Split('\n')[^1];
        string claims = Claims().Match(HereDocument().IsMatch(first) ? first : last) is { Success: true } m ? m.Groups["claims"].Value : string.Empty;
        int exit = ExitClaim().Match(claims) is { Success: true } e ? int.Parse(e.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var outputs = Quoted().Matches(claims).Select(q => q.Groups["text"].Value).ToList();
        return new DocCommand(text, line, exit, outputs);
    }

    [GeneratedRegex("<<-?\\s*['\"]?(?<end>[A-Za-z_][A-Za-z0-9_]*)['\"]?")]
    private static partial Regex HereDocument();

    [GeneratedRegex("\\s#=>(?<claims>.*)$")]
    private static partial Regex Claims();

    [GeneratedRegex("\\bexit (?<code>[0-9]+)")]
    private static partial Regex ExitClaim();

    [GeneratedRegex("\"(?<text>[^\"]*)\"")]
    private static partial Regex Quoted();
}
