using System.Collections.Immutable;
using System.Reflection;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NanoAgent.Build.Tests;

namespace NanoAgent.Portable.NfCheck;

/// <summary>
/// Compiles the portable sources exactly as the .nfproj files take them against nanoFramework's real mscorlib 1.17.11
/// (the nanoFramework.CoreLibrary package's lib/mscorlib.dll): no standard library, C# 7.3, NANOFRAMEWORK_1_0. The
/// packages the package source does not serve (nanoFramework.System.Collections, nanoFramework.System.Text) are stood
/// for by our reference-only shims in Shims/, compiled against the same mscorlib.
/// </summary>
internal static class NanoCompiler
{
    private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";
    private static readonly Lazy<Compiled> All = new(CompileAll);

    public static string MscorlibPath { get; } = typeof(NanoCompiler).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NanoMscorlib").Value!;

    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The compiled portable assemblies and the shims, compiled once per test run.</summary>
    public static Compiled Result => All.Value;

    /// <summary>The .cs files of a portable project folder that some .nfproj compiles, repository-relative.</summary>
    public static string[] NfprojSources(string portableFolder)
    {
        string folder = Path.Combine(RepoRoot, portableFolder);
        string[] files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).StartsWith("obj") && !Path.GetRelativePath(folder, f).StartsWith("bin"))
            .ToArray();
        string[] nfprojs = Directory.EnumerateFiles(RepoRoot, "*.nfproj", SearchOption.AllDirectories).ToArray();
        var taken = new List<string>();
        foreach (string file in files)
        {
            foreach (string nfproj in nfprojs)
            {
                string relative = Path.GetRelativePath(Path.GetDirectoryName(nfproj)!, file).Replace('/', '\\');
                if (XDocument.Load(nfproj).Descendants(Msb + "Compile").Any(c => DeviceProjectGlobs.Covers(c, relative)))
                {
                    taken.Add(Path.GetRelativePath(RepoRoot, file));
                    break;
                }
            }
        }

        return taken.OrderBy(f => f, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Compiles sources with the nanoFramework settings.</summary>
    public static (byte[]? Image, ImmutableArray<Diagnostic> Errors) Compile(string name, IEnumerable<string> paths, IEnumerable<MetadataReference> references)
    {
        var parse = new CSharpParseOptions(LanguageVersion.CSharp7_3, preprocessorSymbols: ["NANOFRAMEWORK_1_0"]);
        SyntaxTree[] trees = paths.Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), parse, p)).ToArray();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
            nullableContextOptions: NullableContextOptions.Disable, deterministic: true);
        CSharpCompilation compilation = CSharpCompilation.Create(name, trees, references, options);
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return (result.Success ? image.ToArray() : null, errors);
    }

    private static Compiled CompileAll()
    {
        MetadataReference mscorlib = MetadataReference.CreateFromFile(MscorlibPath);
        string shims = Path.Combine(AppContext.BaseDirectory, "Shims");
        var collections = Compile("nanoFramework.System.Collections", Directory.GetFiles(Path.Combine(shims, "Collections"), "*.cs"), [mscorlib]);
        var text = Compile("nanoFramework.System.Text", Directory.GetFiles(Path.Combine(shims, "Text"), "*.cs"), [mscorlib]);
        var shimRefs = new List<MetadataReference> { mscorlib };
        if (collections.Image is not null && text.Image is not null)
        {
            shimRefs.Add(MetadataReference.CreateFromImage(collections.Image));
            shimRefs.Add(MetadataReference.CreateFromImage(text.Image));
        }

        string[] driverFiles = NfprojSources(Path.Combine("Drivers", "NanoAgent.Drivers"));
        var drivers = Compile("NanoAgent.Drivers", driverFiles.Select(f => Path.Combine(RepoRoot, f)), shimRefs);
        string[] boardFiles = NfprojSources(Path.Combine("Boards", "NanoAgent.Boards"));
        var boards = Compile("NanoAgent.Boards", boardFiles.Select(f => Path.Combine(RepoRoot, f)), shimRefs);
        string[] agentFiles = NfprojSources(Path.Combine("Agent", "NanoAgent.Agent"));
        var agentRefs = new List<MetadataReference>(shimRefs);
        if (drivers.Image is not null)
        {
            agentRefs.Add(MetadataReference.CreateFromImage(drivers.Image));
        }

        var agent = Compile("NanoAgent.Agent", agentFiles.Select(f => Path.Combine(RepoRoot, f)), agentRefs);
        return new Compiled(collections, text, drivers, driverFiles, boards, boardFiles, agent, agentFiles, agentRefs);
    }

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "nanoAgent.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("nanoAgent.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The outcome of compiling the shims and the three portable assemblies.</summary>
    internal sealed record Compiled(
        (byte[]? Image, ImmutableArray<Diagnostic> Errors) Collections,
        (byte[]? Image, ImmutableArray<Diagnostic> Errors) Text,
        (byte[]? Image, ImmutableArray<Diagnostic> Errors) Drivers,
        string[] DriverFiles,
        (byte[]? Image, ImmutableArray<Diagnostic> Errors) Boards,
        string[] BoardFiles,
        (byte[]? Image, ImmutableArray<Diagnostic> Errors) Agent,
        string[] AgentFiles,
        List<MetadataReference> AgentReferences);
}
