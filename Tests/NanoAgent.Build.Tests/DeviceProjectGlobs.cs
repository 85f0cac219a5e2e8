using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace NanoAgent.Build.Tests;

/// <summary>MSBuild glob matching shared by the device project checks.</summary>
internal static class DeviceProjectGlobs
{
    internal static bool Covers(XElement compile, string relativePath)
    {
        bool included = Patterns(compile.Attribute("Include")).Any(p => GlobMatches(p, relativePath));
        bool excluded = Patterns(compile.Attribute("Exclude")).Any(p => GlobMatches(p, relativePath));
        return included && !excluded;
    }

    private static IEnumerable<string> Patterns(XAttribute? attribute) =>
        attribute is null ? [] : attribute.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // "**\" spans any number of folders, "*" stays within one name; Windows paths compare case-insensitively.
    private static bool GlobMatches(string pattern, string path)
    {
        string regex = "^" + Regex.Escape(pattern)
            .Replace(@"\*\*\\", "(?:.*\\\\)?")
            .Replace(@"\*\*", ".*")
            .Replace(@"\*", @"[^\\]*") + "$";
        return Regex.IsMatch(path, regex, RegexOptions.IgnoreCase);
    }
}
