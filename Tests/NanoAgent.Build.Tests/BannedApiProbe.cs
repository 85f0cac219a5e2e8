using System.Diagnostics;

namespace NanoAgent.Build.Tests;

/// <summary>
/// A throw-away project that imports build/Portable.props (and the repo's Directory.*.props), restored once with the repo's
/// NuGet config and then built once per case file. Shared by the tests of one class so the slow restore happens once.
/// </summary>
public sealed class BannedApiProbe : IDisposable
{
    private readonly string _dir;
    private readonly object _gate = new();
    private bool _restored;

    public BannedApiProbe()
    {
        _dir = Path.Combine(Path.GetTempPath(), "nanoagent-banned-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_dir, "Cases"));
        string root = RepoPaths.Root;
        File.WriteAllText(Path.Combine(_dir, "Directory.Build.props"), $"""<Project><Import Project="{Path.Combine(root, "Directory.Build.props")}" /></Project>""");
        File.WriteAllText(Path.Combine(_dir, "Directory.Packages.props"), $"""<Project><Import Project="{Path.Combine(root, "Directory.Packages.props")}" /></Project>""");
        File.WriteAllText(Path.Combine(_dir, "Probe.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{Path.Combine(root, "build", "Portable.props")}" />
              <PropertyGroup>
                <Case Condition="'$(Case)' == ''">Allowed</Case>
                <UseSharedCompilation>false</UseSharedCompilation>
              </PropertyGroup>
              <ItemGroup>
                <Compile Remove="**/*.cs" />
                <Compile Include="Cases/$(Case).cs" />
              </ItemGroup>
            </Project>
            """);
        foreach (string file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Cases"), "*.cs"))
        {
            File.Copy(file, Path.Combine(_dir, "Cases", Path.GetFileName(file)));
        }
    }

    /// <summary>Builds the probe with only <c>Cases/{caseName}.cs</c>; returns the exit code and the build output.</summary>
    public (int ExitCode, string Output) Build(string caseName)
    {
        lock (_gate)
        {
            if (!_restored)
            {
                // The repo's nuget.config (no URLs in the repo); packages come from the local cache the repo build already filled.
                (int code, string output) = Dotnet("restore", "Probe.csproj", "--configfile", Path.Combine(RepoPaths.Root, "nuget.config"), "-nodeReuse:false");
                Assert.True(code == 0, "probe restore failed:\n" + output);
                _restored = true;
            }

            return Dotnet("build", "Probe.csproj", "--no-restore", "-nodeReuse:false", "-p:Case=" + caseName, "-clp:NoSummary");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private (int ExitCode, string Output) Dotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet " + string.Join(' ', args) + " took over 5 minutes");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
