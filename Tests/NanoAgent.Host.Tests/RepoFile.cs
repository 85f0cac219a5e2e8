namespace NanoAgent.Host.Tests;

/// <summary>Files of the repository the tests check against (docs, README), found above the test binaries.</summary>
public static class RepoFile
{
    /// <summary>Reads a file by its path from the repository root, e.g. "docs/json.md".</summary>
    public static string Read(string path)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "nanoAgent.sln")))
        {
            dir = dir.Parent;
        }

        return File.ReadAllText(Path.Combine(dir?.FullName ?? throw new InvalidOperationException("nanoAgent.sln not found above " + AppContext.BaseDirectory), path));
    }
}
