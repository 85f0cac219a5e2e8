using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace NanoAgent.Build.Tests;

/// <summary>
/// Checks on Drivers/NanoAgent.Drivers.Device that need no nanoFramework toolchain (the .nfproj cannot be built on Linux).
/// </summary>
public class DeviceProjectTests
{
    private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";
    private static readonly string DeviceDir = RepoPaths.Combine("Drivers", "NanoAgent.Drivers.Device");
    private static readonly string NfprojPath = Path.Combine(DeviceDir, "NanoAgent.Drivers.Device.nfproj");

    [Fact]
    public void Nfproj_IsWellFormedNanoFrameworkLibrary()
    {
        XDocument doc = XDocument.Load(NfprojPath);

        Assert.Equal(Msb + "Project", doc.Root!.Name);
        // {11A8DD76-...} is the nanoFramework project type, as in nanoframework/nanoFramework.IoT.Device library projects.
        Assert.Contains("{11A8DD76-328B-46DF-9F39-F559912D0360}", Property(doc, "ProjectTypeGuids"));
        Assert.Equal("Library", Property(doc, "OutputType"));
        Assert.Equal("7.3", Property(doc, "LangVersion"));
        string[] imports = doc.Descendants(Msb + "Import").Select(i => (string)i.Attribute("Project")!).ToArray();
        Assert.Contains(imports, i => i.EndsWith("NFProjectSystem.props", StringComparison.Ordinal));
        Assert.Contains(imports, i => i.EndsWith("NFProjectSystem.CSharp.targets", StringComparison.Ordinal));
    }

    [Fact]
    public void PackagesConfig_EveryPackageHasAMatchingHintPath()
    {
        XDocument packages = XDocument.Load(Path.Combine(DeviceDir, "packages.config"));
        string[] hintPaths = XDocument.Load(NfprojPath).Descendants(Msb + "HintPath").Select(h => h.Value).ToArray();

        var ids = packages.Root!.Elements("package").Select(p => ((string)p.Attribute("id")!, (string)p.Attribute("version")!)).ToArray();

        Assert.Contains(ids, p => p.Item1 == "nanoFramework.CoreLibrary");
        foreach (string required in new[] { "System.Device.I2c", "System.Device.Spi", "System.Collections", "System.Text", "System.Security.Cryptography" })
        {
            Assert.Contains(ids, p => p.Item1 == "nanoFramework." + required);
        }

        foreach ((string id, string version) in ids)
        {
            Assert.Matches(@"^1\.\d+\.\d+$", version); // stable 1.x only: 2.0 previews need preview firmware
            string prefix = $@"..\..\packages\{id}.{version}\lib\";
            Assert.True(hintPaths.Any(h => h.StartsWith(prefix, StringComparison.Ordinal) && h.EndsWith(".dll", StringComparison.Ordinal)), $"no HintPath under {prefix}");
        }

        // And no reference points at a package that packages.config does not restore.
        foreach (string hint in hintPaths)
        {
            Assert.Contains(ids, p => hint.StartsWith($@"..\..\packages\{p.Item1}.{p.Item2}\", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Nfproj_CompileItemsCoverEveryPortableSourceAndEveryAdapter()
    {
        XElement[] compiles = XDocument.Load(NfprojPath).Descendants(Msb + "Compile").ToArray();
        Assert.Contains(compiles, c => (string?)c.Attribute("Include") == @"..\NanoAgent.Drivers\**\*.cs");

        string portable = RepoPaths.Combine("Drivers", "NanoAgent.Drivers");
        string[] portableFiles = SourceFiles(portable).ToArray();
        Assert.NotEmpty(portableFiles);

        foreach (string file in portableFiles.Concat(SourceFiles(DeviceDir)))
        {
            string relative = Path.GetRelativePath(DeviceDir, file).Replace('/', '\\');
            Assert.True(compiles.Any(c => Covers(c, relative)), $"{relative} is not compiled by the .nfproj");
        }
    }

    [Fact]
    public void Nfproj_ExcludesBuildOutputOfThePortableProject()
    {
        XElement[] compiles = XDocument.Load(NfprojPath).Descendants(Msb + "Compile").ToArray();

        Assert.DoesNotContain(compiles, c => Covers(c, @"..\NanoAgent.Drivers\obj\Debug\netstandard2.0\AssemblyInfo.cs"));
        Assert.DoesNotContain(compiles, c => Covers(c, @"..\NanoAgent.Drivers\bin\x.cs"));
    }

    private static string Property(XDocument doc, string name) => doc.Descendants(Msb + name).Select(e => e.Value).First();

    private static IEnumerable<string> SourceFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(dir, f).Split(Path.DirectorySeparatorChar).Any(p => p is "obj" or "bin"));

    private static bool Covers(XElement compile, string relativePath) => DeviceProjectGlobs.Covers(compile, relativePath);
}

/// <summary>
/// The same checks on Agent/NanoAgent.Device, the firmware application: an Exe that links the portable Agent and Boards
/// sources by wildcard and restores nanoFramework.M2Mqtt with its dependencies.
/// </summary>
public class DeviceAppProjectTests
{
    private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";
    private static readonly string AppDir = RepoPaths.Combine("Agent", "NanoAgent.Device");
    private static readonly string NfprojPath = Path.Combine(AppDir, "NanoAgent.Device.nfproj");

    [Fact]
    public void Nfproj_IsWellFormedNanoFrameworkApplication()
    {
        XDocument doc = XDocument.Load(NfprojPath);

        Assert.Equal(Msb + "Project", doc.Root!.Name);
        Assert.Contains("{11A8DD76-328B-46DF-9F39-F559912D0360}", doc.Descendants(Msb + "ProjectTypeGuids").First().Value);
        Assert.Equal("Exe", doc.Descendants(Msb + "OutputType").First().Value);
        Assert.Equal("7.3", doc.Descendants(Msb + "LangVersion").First().Value);
        string[] imports = doc.Descendants(Msb + "Import").Select(i => (string)i.Attribute("Project")!).ToArray();
        Assert.Contains(imports, i => i.EndsWith("NFProjectSystem.props", StringComparison.Ordinal));
        Assert.Contains(imports, i => i.EndsWith("NFProjectSystem.CSharp.targets", StringComparison.Ordinal));
        string[] projectRefs = doc.Descendants(Msb + "ProjectReference").Select(p => (string)p.Attribute("Include")!).ToArray();
        Assert.Contains(@"..\..\Drivers\NanoAgent.Drivers.Device\NanoAgent.Drivers.Device.nfproj", projectRefs);
        Assert.True(File.Exists(Path.Combine(AppDir, "..", "..", "Drivers", "NanoAgent.Drivers.Device", "NanoAgent.Drivers.Device.nfproj")));
    }

    [Fact]
    public void PackagesConfig_HasM2MqttAndItsDependencies_EachWithAHintPath()
    {
        XDocument packages = XDocument.Load(Path.Combine(AppDir, "packages.config"));
        string[] hintPaths = XDocument.Load(NfprojPath).Descendants(Msb + "HintPath").Select(h => h.Value).ToArray();
        var ids = packages.Root!.Elements("package").Select(p => ((string)p.Attribute("id")!, (string)p.Attribute("version")!)).ToArray();

        // nanoFramework.M2Mqtt 5.1.x nuspec dependencies (tag v5.1.220), plus the buses the firmware opens.
        foreach (string required in new[] { "CoreLibrary", "M2Mqtt", "Runtime.Events", "Runtime.Native", "System.Collections", "System.Net", "System.Device.I2c" })
        {
            Assert.Contains(ids, p => p.Item1 == "nanoFramework." + required);
        }

        foreach ((string id, string version) in ids)
        {
            // Stable lines only: M2Mqtt 5.1.x, the UnitsNet quantities 5.x (the Bmxx80 binding's), everything else 1.x
            // (2.0 previews need preview firmware).
            string line = id == "nanoFramework.M2Mqtt" ? @"^5\.1\.\d+$" : id.StartsWith("UnitsNet.nanoFramework.", StringComparison.Ordinal) ? @"^5\.\d+\.\d+$" : @"^1\.\d+\.\d+$";
            Assert.Matches(line, version);
            string prefix = $@"..\..\packages\{id}.{version}\lib\";
            Assert.True(hintPaths.Any(h => h.StartsWith(prefix, StringComparison.Ordinal) && h.EndsWith(".dll", StringComparison.Ordinal)), $"no HintPath under {prefix}");
        }

        foreach (string hint in hintPaths)
        {
            Assert.Contains(ids, p => hint.StartsWith($@"..\..\packages\{p.Item1}.{p.Item2}\", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Nfproj_CompileItemsCoverAgentAndBoardsSourcesAndTheApp()
    {
        XElement[] compiles = XDocument.Load(NfprojPath).Descendants(Msb + "Compile").ToArray();
        string[] portableDirs = [RepoPaths.Combine("Agent", "NanoAgent.Agent"), RepoPaths.Combine("Boards", "NanoAgent.Boards")];

        foreach (string file in portableDirs.SelectMany(SourceFiles).Concat(SourceFiles(AppDir)))
        {
            string relative = Path.GetRelativePath(AppDir, file).Replace('/', '\\');
            Assert.True(compiles.Any(c => DeviceProjectGlobs.Covers(c, relative)), $"{relative} is not compiled by the .nfproj");
        }

        Assert.Contains(compiles, c => DeviceProjectGlobs.Covers(c, @"Mqtt\M2MqttConnection.cs"));
        Assert.DoesNotContain(compiles, c => DeviceProjectGlobs.Covers(c, @"..\NanoAgent.Agent\obj\Debug\netstandard2.0\AssemblyInfo.cs"));
        Assert.DoesNotContain(compiles, c => DeviceProjectGlobs.Covers(c, @"..\..\Boards\NanoAgent.Boards\bin\x.cs"));
    }

    private static IEnumerable<string> SourceFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(dir, f).Split(Path.DirectorySeparatorChar).Any(p => p is "obj" or "bin"));
}

/// <summary>
/// Checks on Tests/NanoAgent.Device.OnTarget, the on-target test project (nanoFramework.TestFramework 3.x, run on a real
/// board): a test project that links the portable Agent and Boards sources, stays out of the solution, and runs on hardware.
/// </summary>
public class DeviceOnTargetProjectTests
{
    private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";
    private static readonly string TestDir = RepoPaths.Combine("Tests", "NanoAgent.Device.OnTarget");
    private static readonly string NfprojPath = Path.Combine(TestDir, "NanoAgent.Device.OnTarget.nfproj");

    [Fact]
    public void Nfproj_IsWellFormedNanoFrameworkTestProject_RunOnRealHardware()
    {
        XDocument doc = XDocument.Load(NfprojPath);

        Assert.Equal(Msb + "Project", doc.Root!.Name);
        Assert.Contains("{11A8DD76-328B-46DF-9F39-F559912D0360}", doc.Descendants(Msb + "ProjectTypeGuids").First().Value);
        Assert.Equal("Library", doc.Descendants(Msb + "OutputType").First().Value);
        Assert.Equal("true", doc.Descendants(Msb + "IsTestProject").First().Value);
        Assert.Equal("7.3", doc.Descendants(Msb + "LangVersion").First().Value);
        Assert.Contains(doc.Descendants(Msb + "ProjectCapability"), c => (string?)c.Attribute("Include") == "TestContainer");
        string[] imports = doc.Descendants(Msb + "Import").Select(i => (string)i.Attribute("Project")!).ToArray();
        Assert.Contains(imports, i => i.EndsWith("NFProjectSystem.CSharp.targets", StringComparison.Ordinal));
        Assert.Contains(@"..\..\Drivers\NanoAgent.Drivers.Device\NanoAgent.Drivers.Device.nfproj",
            doc.Descendants(Msb + "ProjectReference").Select(p => (string)p.Attribute("Include")!));

        Assert.EndsWith(@"\nano.runsettings", doc.Descendants(Msb + "RunSettingsFilePath").First().Value);
        XDocument settings = XDocument.Load(Path.Combine(TestDir, "nano.runsettings"));
        Assert.Equal("True", settings.Descendants("IsRealHardware").Single().Value, ignoreCase: true);
    }

    [Fact]
    public void PackagesConfig_HasTestFramework3_EachPackageWithAHintPath()
    {
        var ids = XDocument.Load(Path.Combine(TestDir, "packages.config")).Root!.Elements("package")
            .Select(p => ((string)p.Attribute("id")!, (string)p.Attribute("version")!)).ToArray();
        string[] hintPaths = XDocument.Load(NfprojPath).Descendants(Msb + "HintPath").Select(h => h.Value).ToArray();

        Assert.Contains(ids, p => p.Item1 == "nanoFramework.TestFramework");
        foreach ((string id, string version) in ids)
        {
            Assert.Matches(id == "nanoFramework.TestFramework" ? @"^3\.\d+\.\d+$" : @"^1\.\d+\.\d+$", version);
            string prefix = $@"..\..\packages\{id}.{version}\lib\";
            Assert.True(hintPaths.Any(h => h.StartsWith(prefix, StringComparison.Ordinal)), $"no HintPath under {prefix}");
        }

        foreach (string hint in hintPaths)
        {
            Assert.Contains(ids, p => hint.StartsWith($@"..\..\packages\{p.Item1}.{p.Item2}\", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Nfproj_CompilesItsTestsAndThePortableSources_AndIsNotInTheSolution()
    {
        XElement[] compiles = XDocument.Load(NfprojPath).Descendants(Msb + "Compile").ToArray();
        string[] dirs = [RepoPaths.Combine("Agent", "NanoAgent.Agent"), RepoPaths.Combine("Boards", "NanoAgent.Boards"), TestDir];
        string[] files = dirs.SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "obj" or "bin")).ToArray();
        Assert.Contains(files, f => f.EndsWith("ApduOnTargetTests.cs", StringComparison.Ordinal));

        foreach (string file in files)
        {
            string relative = Path.GetRelativePath(TestDir, file).Replace('/', '\\');
            Assert.True(compiles.Any(c => DeviceProjectGlobs.Covers(c, relative)), $"{relative} is not compiled by the test .nfproj");
        }

        string sln = File.ReadAllText(RepoPaths.Combine("nanoAgent.sln"));
        Assert.DoesNotContain("NanoAgent.Device.OnTarget", sln);
    }

    [Fact]
    public void DeviceApp_ReferencesFileSystem_AndTheEsp32OnlyPackagesOnlyForEsp32()
    {
        string app = RepoPaths.Combine("Agent", "NanoAgent.Device");
        string[] ids = XDocument.Load(Path.Combine(app, "packages.config")).Root!.Elements("package").Select(p => (string)p.Attribute("id")!).ToArray();
        Assert.Contains("nanoFramework.System.IO.FileSystem", ids);
        Assert.Contains("nanoFramework.System.Device.Wifi", ids);
        Assert.Contains("nanoFramework.Hardware.Esp32", ids);

        XElement[] refs = XDocument.Load(Path.Combine(app, "NanoAgent.Device.nfproj")).Descendants(Msb + "Reference").ToArray();
        foreach (string esp32Only in new[] { "System.Device.Wifi", "nanoFramework.Hardware.Esp32" })
        {
            XElement r = refs.Single(e => ((string)e.Attribute("Include")!).StartsWith(esp32Only + ",", StringComparison.Ordinal));
            Assert.Contains("Esp32", (string?)r.Attribute("Condition") ?? string.Empty);
        }
    }
}

/// <summary>Checks across all nanoFramework projects: packages.config restores into one ..\..\packages folder, so a package
/// two projects use must have one version, or the firmware links two builds of the same assembly.</summary>
public class DevicePackageVersionTests
{
    private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";

    private static readonly string[] ProjectDirs =
    [
        RepoPaths.Combine("Drivers", "NanoAgent.Drivers.Device"),
        RepoPaths.Combine("Agent", "NanoAgent.Device"),
        RepoPaths.Combine("Tests", "NanoAgent.Device.OnTarget"),
    ];

    [Fact]
    public void PackagesConfig_APackageUsedByTwoDeviceProjects_HasOneVersionEverywhere()
    {
        var uses = ProjectDirs.SelectMany(dir => XDocument.Load(Path.Combine(dir, "packages.config")).Root!.Elements("package")
            .Select(p => (Project: Path.GetFileName(dir), Id: (string)p.Attribute("id")!, Version: (string)p.Attribute("version")!))).ToArray();
        Assert.Contains(uses.GroupBy(u => u.Id), g => g.Select(u => u.Project).Distinct().Count() > 1);

        foreach (var group in uses.GroupBy(u => u.Id))
        {
            string[] versions = group.Select(u => u.Version).Distinct().ToArray();
            Assert.True(versions.Length == 1, $"{group.Key}: " + string.Join(", ", group.Select(u => $"{u.Project} {u.Version}")));
        }
    }

    [Fact]
    public void Nfproj_AReferenceUsedByTwoDeviceProjects_HasOneAssemblyVersionEverywhere()
    {
        var refs = ProjectDirs.SelectMany(dir => Directory.EnumerateFiles(dir, "*.nfproj"))
            .SelectMany(f => XDocument.Load(f).Descendants(Msb + "Reference").Select(r => (string)r.Attribute("Include")!))
            .Select(include => include.Split(',', StringSplitOptions.TrimEntries))
            .Select(parts => (Name: parts[0], Version: parts.FirstOrDefault(p => p.StartsWith("Version=", StringComparison.Ordinal)) ?? "")).ToArray();
        Assert.Contains(refs, r => r.Name == "nanoFramework.Runtime.Events");

        foreach (var group in refs.GroupBy(r => r.Name))
        {
            Assert.True(group.Select(r => r.Version).Distinct().Count() == 1, $"{group.Key}: " + string.Join(", ", group.Select(r => r.Version)));
        }
    }

    [Fact]
    public void Nfproj_AssemblyVersionAgreesWithThePackageVersionOfItsHintPath()
    {
        foreach (string nfproj in ProjectDirs.SelectMany(dir => Directory.EnumerateFiles(dir, "*.nfproj")))
        {
            foreach (XElement reference in XDocument.Load(nfproj).Descendants(Msb + "Reference"))
            {
                string include = (string)reference.Attribute("Include")!;
                string hint = reference.Element(Msb + "HintPath")!.Value;
                Match package = Regex.Match(hint, @"^\.\.\\\.\.\\packages\\[^\\]+?\.(\d+\.\d+\.\d+)\\lib\\");
                Match assembly = Regex.Match(include, @"Version=(\d+)\.(\d+)\.(\d+)\.0");
                Assert.True(package.Success && assembly.Success, $"{Path.GetFileName(nfproj)}: {include} / {hint}");
                string[] p = package.Groups[1].Value.Split('.');

                // Major.minor always match; the build number is the package's, or 0 where the library is versioned by
                // Nerdbank.GitVersioning (the nanoFramework.IoT.Device bindings: 1.2.0.0 for package 1.2.x).
                Assert.Equal(p[0] + "." + p[1], assembly.Groups[1].Value + "." + assembly.Groups[2].Value);
                Assert.Contains(assembly.Groups[3].Value, new[] { p[2], "0" });
            }
        }
    }
}
