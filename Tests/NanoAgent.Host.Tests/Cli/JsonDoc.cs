using System.Text.Json;
using System.Text.RegularExpressions;

namespace NanoAgent.Host.Tests.Cli;

/// <summary>
/// docs/json.md as the schema: each command's section (<c>## `se probe`</c>, or one heading for commands of one shape) holds an example of its <c>--json</c> output,
/// and a command's real output must have the example's shape: the envelope, the same property names at every level (none
/// missing, none undocumented), the same JSON kinds (null matches any kind: a value unknown this time), each array element
/// shaped like the example's first. An empty object in the example is free-form (keys that are data, such as CPLC field
/// names). A stream is JSON Lines: each line is matched with the example line of the same <c>event</c>, the envelope last.
/// </summary>
internal static class JsonDoc
{
    private static readonly Lazy<string> Text = new(() => RepoFile.Read("docs/json.md"));

    /// <summary>Gets the commands that have a section (a heading may name several commands of one shape).</summary>
    public static IReadOnlyList<string> Sections() =>
        Regex.Matches(Text.Value, "^## .*$", RegexOptions.Multiline)
            .SelectMany(h => Regex.Matches(h.Value, "`([a-z0-9 -]+)`").Select(m => m.Groups[1].Value)).ToList();

    /// <summary>Asserts that a command's output is one envelope shaped like its documented example (or the section named,
    /// e.g. "error"); returns its data.</summary>
    public static JsonElement AssertMatches(string command, string output, int exitCode, string? section = null)
    {
        JsonElement actual = Parse(output, command);
        AssertEnvelope(actual, command, exitCode);
        JsonElement example = Parse(Block(section ?? command, output), (section ?? command) + " (docs)");
        AssertShape(example.GetProperty("data"), actual.GetProperty("data"), command + ".data");
        return actual.GetProperty("data").Clone();
    }

    /// <summary>Asserts that a stream's lines are shaped like the documented lines, the envelope last; returns the lines.</summary>
    public static IReadOnlyList<JsonElement> AssertLinesMatch(string command, string output, int exitCode)
    {
        var examples = Block(command, output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Parse(l, command + " (docs)")).ToList();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Parse(l, command)).ToList();
        Assert.NotEmpty(lines);
        AssertEnvelope(lines[^1], command, exitCode);
        foreach (JsonElement line in lines)
        {
            JsonElement example = line.TryGetProperty("event", out JsonElement kind)
                ? examples.Single(e => e.TryGetProperty("event", out JsonElement k) && k.GetString() == kind.GetString())
                : examples.Single(e => e.TryGetProperty("command", out _));
            AssertShape(example, line, command);
        }

        return lines;
    }

    private static void AssertEnvelope(JsonElement envelope, string command, int exitCode)
    {
        Assert.Equal(["command", "ok", "exitCode", "data"], envelope.EnumerateObject().Select(p => p.Name));
        Assert.Equal(command, envelope.GetProperty("command").GetString());
        Assert.Equal(exitCode == 0, envelope.GetProperty("ok").GetBoolean());
        Assert.Equal(exitCode, envelope.GetProperty("exitCode").GetInt32());
    }

    private static void AssertShape(JsonElement example, JsonElement actual, string path)
    {
        if (example.ValueKind == JsonValueKind.Null || actual.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        Assert.True(Kind(example) == Kind(actual), $"{path}: documented as {Kind(example)}, printed as {Kind(actual)}");
        if (actual.ValueKind == JsonValueKind.Object && example.EnumerateObject().Any())
        {
            var documented = example.EnumerateObject().Select(p => p.Name).ToList();
            var printed = actual.EnumerateObject().Select(p => p.Name).ToList();
            Assert.True(documented.SequenceEqual(printed), $"{path}: documented {{{string.Join(", ", documented)}}}, printed {{{string.Join(", ", printed)}}}");
            foreach (JsonProperty property in actual.EnumerateObject())
            {
                AssertShape(example.GetProperty(property.Name), property.Value, path + "." + property.Name);
            }
        }
        else if (actual.ValueKind == JsonValueKind.Array && actual.GetArrayLength() > 0)
        {
            Assert.True(example.GetArrayLength() > 0, $"{path}: documented as an empty array; show one element");
            int i = 0;
            foreach (JsonElement element in actual.EnumerateArray())
            {
                AssertShape(example[0], element, $"{path}[{i++}]");
            }
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? "boolean" : e.ValueKind.ToString().ToLowerInvariant();

    private static string Block(string command, string printed)
    {
        Match section = Regex.Match(Text.Value, $"^## [^\\n]*`{Regex.Escape(command)}`[^\\n]*\\n.*?^```json\\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(section.Success, $"docs/json.md has no section '## `{command}`' with a ```json example; the command printed:\n{printed}");
        return section.Groups[1].Value;
    }

    private static JsonElement Parse(string json, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            Assert.Fail($"{what}: not JSON ({e.Message}):\n{json}");
            throw;
        }
    }
}
