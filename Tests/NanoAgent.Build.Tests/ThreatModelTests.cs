using System.Text.RegularExpressions;

namespace NanoAgent.Build.Tests;

/// <summary>Every test docs/threat-model.md names as a mitigation's proof must exist.</summary>
public class ThreatModelTests
{
    [Fact]
    public void ThreatModel_NamesOnlyExistingTests() => NamesOnlyExistingTests("threat-model.md");

    [Fact]
    public void Reliability_NamesOnlyExistingTests() => NamesOnlyExistingTests("reliability.md");

    [Fact]
    public void ExitCodes_NamesOnlyExistingTests() => NamesOnlyExistingTests("exit-codes.md");

    [Fact]
    public void Json_NamesOnlyExistingTests() => NamesOnlyExistingTests("json.md");

    private static void NamesOnlyExistingTests(string doc)
    {
        string root = FindRoot();
        string model = File.ReadAllText(Path.Combine(root, "docs", doc));
        string tests = string.Join("\n", Directory.EnumerateFiles(Path.Combine(root, "Tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText));
        var named = Regex.Matches(model, @"\b([A-Z][A-Za-z0-9]+Tests)\.([A-Za-z0-9_]+)\b").Select(m => (Class: m.Groups[1].Value, Method: m.Groups[2].Value)).Distinct().ToList();

        Assert.NotEmpty(named);
        var missing = named.Where(n => !Regex.IsMatch(tests, $@"class {n.Class}\b") || !Regex.IsMatch(tests, $@"\b{n.Method}\(")).ToList();
        Assert.True(missing.Count == 0, $"named in docs/{doc} but not found: " + string.Join(", ", missing.Select(m => m.Class + "." + m.Method)));
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "nanoAgent.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("nanoAgent.sln not found above " + AppContext.BaseDirectory);
    }
}
