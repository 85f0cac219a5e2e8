using System.Text.RegularExpressions;

namespace NanoAgent.Build.Tests;

/// <summary>Layers point one way: no two product namespaces use each other, directly or through others.</summary>
public class NamespaceLayerTests
{
    private static readonly Regex Declaration = new(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline);
    private static readonly Regex Using = new(@"^\s*using\s+(?:static\s+)?(NanoAgent[\w.]*)\s*;", RegexOptions.Multiline);

    [Fact]
    public void ProductNamespaces_FormNoCycle()
    {
        var uses = new Dictionary<string, HashSet<string>>();
        foreach (string top in new[] { "Agent", "Drivers", "Boards" })
        {
            foreach (string file in Directory.EnumerateFiles(RepoPaths.Combine(top), "*.cs", SearchOption.AllDirectories))
            {
                string sep = Path.DirectorySeparatorChar.ToString();
                if (file.Contains(sep + "obj" + sep) || file.Contains(sep + "bin" + sep))
                {
                    continue;
                }

                string text = File.ReadAllText(file);
                Match declared = Declaration.Match(text);
                if (!declared.Success)
                {
                    continue;
                }

                string ns = declared.Groups[1].Value;
                if (!uses.TryGetValue(ns, out HashSet<string>? targets))
                {
                    uses[ns] = targets = new HashSet<string>();
                }

                foreach (Match u in Using.Matches(text))
                {
                    targets.Add(u.Groups[1].Value);
                }
            }
        }

        var cycles = new List<string>();
        foreach (string start in uses.Keys.Order())
        {
            string? path = FindPathBack(start, uses);
            if (path is not null)
            {
                cycles.Add(path);
            }
        }

        Assert.True(cycles.Count == 0, "namespaces that use each other in a loop (move what both need one layer down):\n" + string.Join("\n", cycles));
    }

    private static string? FindPathBack(string start, Dictionary<string, HashSet<string>> uses)
    {
        var previous = new Dictionary<string, string>();
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            string at = queue.Dequeue();
            foreach (string next in uses.GetValueOrDefault(at) ?? [])
            {
                if (next == at || !uses.ContainsKey(next))
                {
                    continue;
                }

                if (next == start)
                {
                    var chain = new List<string> { start };
                    for (string step = at; step != start; step = previous[step])
                    {
                        chain.Insert(1, step);
                    }

                    return string.Join(" -> ", chain) + " -> " + start;
                }

                if (previous.TryAdd(next, at))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }
}
