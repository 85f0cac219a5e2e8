using System.Diagnostics;
using NanoAgent.Host.Cli;

namespace NanoAgent.Host.Tests.Wireshark;

/// <summary>
/// Runs the real tshark (Debian package, installed by .ci/run) with nanoAgent's Lua dissector loaded through
/// <c>-X lua_script:</c>. HOME points at an empty folder so that a dissector copied into the user's personal plugins
/// folder cannot load twice. Debian's init.lua sets <c>run_user_scripts_when_superuser = true</c>, so Lua runs as root
/// too (Wireshark 4.2 and later no longer disable Lua for root at all).
/// </summary>
public static class Tshark
{
    /// <summary>The dissector as the build ships it: next to the nanoagent assembly.</summary>
    public static string Dissector => Path.Combine(Path.GetDirectoryName(typeof(NanoAgentCli).Assembly.Location)!, "nanoagent.lua");

    /// <summary>The dissector in the source tree.</summary>
    public static string SourceDissector => Path.Combine(RepoRoot(), "Agent", "NanoAgent.Host", "Wireshark", "nanoagent.lua");

    /// <summary>Runs tshark with the dissector on a capture and returns what it prints; fails on an error exit or a Lua error.</summary>
    public static string Run(params string[] args)
    {
        string home = Path.Combine(Path.GetTempPath(), "nanoagent-tshark-home-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        try
        {
            var info = new ProcessStartInfo(Find()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.Environment["HOME"] = home;
            info.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
            info.ArgumentList.Add("-X");
            info.ArgumentList.Add("lua_script:" + Dissector);
            foreach (string arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(120_000), "tshark did not finish within 120 s");
            string stderr = error.Result;
            Assert.True(process.ExitCode == 0, $"tshark {string.Join(' ', args)} exited with {process.ExitCode}: {stderr}");
            Assert.DoesNotContain("Lua Error", output + stderr);
            Assert.DoesNotContain("Lua: Error", stderr);
            return output;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>Runs tshark and returns its <c>-T fields</c> output, one array of fields per packet.</summary>
    public static List<string[]> Fields(string capture, string? filter, params string[] fields)
    {
        var args = new List<string> { "-r", capture, "-2", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|" };
        if (filter is not null)
        {
            args.Add("-Y");
            args.Add(filter);
        }

        foreach (string f in fields)
        {
            args.Add("-e");
            args.Add(f);
        }

        // Booleans: "1"/"0" on tshark 4.0, "True"/"False" on later releases; the tests compare "1"/"0".
        return [.. Run([.. args]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd('\r').Split('\t').Select(v => v switch { "True" => "1", "False" => "0", _ => v }).ToArray())];
    }

    public static string RepoRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "nanoAgent.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("nanoAgent.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Find()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            if (File.Exists(Path.Combine(dir, "tshark")))
            {
                return Path.Combine(dir, "tshark");
            }
        }

        throw new InvalidOperationException("'tshark' was not found: the Wireshark tests need it (apt-get install tshark; .ci/run installs it).");
    }
}
