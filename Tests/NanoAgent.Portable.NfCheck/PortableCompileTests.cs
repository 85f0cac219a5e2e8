using Microsoft.CodeAnalysis;

namespace NanoAgent.Portable.NfCheck;

/// <summary>
/// The portable sources, as the .nfproj files take them, compiled against nanoFramework's real mscorlib 1.17.11 and
/// scanned for what its runtime cannot run (issue #14).
/// </summary>
public class PortableCompileTests
{
    public static TheoryData<string> Assemblies => new() { "NanoAgent.Drivers", "NanoAgent.Boards", "NanoAgent.Agent" };

    private static (byte[]? Image, System.Collections.Immutable.ImmutableArray<Diagnostic> Errors, string[] Files) Of(string name)
    {
        NanoCompiler.Compiled r = NanoCompiler.Result;
        return name switch
        {
            "NanoAgent.Drivers" => (r.Drivers.Image, r.Drivers.Errors, r.DriverFiles),
            "NanoAgent.Boards" => (r.Boards.Image, r.Boards.Errors, r.BoardFiles),
            _ => (r.Agent.Image, r.Agent.Errors, r.AgentFiles),
        };
    }

    [Fact]
    public void Mscorlib_IsTheRestoredPackagesNanoFrameworkCoreLibrary()
    {
        Assert.True(File.Exists(NanoCompiler.MscorlibPath), NanoCompiler.MscorlibPath);
        Assert.Contains(Path.Combine("nanoframework.corelibrary", "1.17.11", "lib"), NanoCompiler.MscorlibPath);
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(NanoCompiler.MscorlibPath));
        var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        Assert.Equal("mscorlib", md.GetString(md.GetAssemblyDefinition().Name));
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void PortableSources_CompileAgainstRealMscorlib(string name)
    {
        var (image, errors, files) = Of(name);

        Assert.True(errors.IsEmpty, string.Join("\n", errors.Select(e => e.ToString())));
        Assert.NotNull(image);
        Assert.True(files.Length > 10, $"{name}: only {files.Length} files taken by the .nfproj files");
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void PortableAssemblies_HaveNoGenericsFiltersOrUnsupportedOpcodes(string name)
    {
        byte[] image = Of(name).Image ?? throw new InvalidOperationException(name + " did not compile");

        List<string> findings = NanoMetadataScanner.Scan(image);

        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    [Fact]
    public void Scanner_FindsGenericsFiltersAndGenericInstantiations()
    {
        // The scanner's own check: a probe with what the portable code must not contain, against the same mscorlib.
        string probe = Path.Combine(Path.GetTempPath(), "nfcheck-probe-" + Guid.NewGuid().ToString("N") + ".cs");
        File.WriteAllText(probe, """
            namespace Probe
            {
                public class Box<T> { public T Value; }
                public static class Uses
                {
                    public static int Generic<T>(T value) { return 1; }
                    public static int Call() { return Generic(5) + new Box<int>().Value; }
                    public static int Filter(object o)
                    {
                        try { return o.GetHashCode(); }
                        catch (System.Exception e) when (e.Message != null) { return 0; }
                    }
                }
            }
            """);
        try
        {
            var (image, errors) = NanoCompiler.Compile("Probe", [probe], [MetadataReference.CreateFromFile(NanoCompiler.MscorlibPath)]);
            Assert.True(errors.IsEmpty, string.Join("\n", errors));

            List<string> findings = NanoMetadataScanner.Scan(image!);

            Assert.Contains(findings, f => f.StartsWith("generic definition: parameter 'T' of Box"));
            Assert.Contains(findings, f => f.StartsWith("generic definition: parameter 'T' of Generic"));
            Assert.Contains(findings, f => f.StartsWith("generic method instantiation"));
            Assert.Contains(findings, f => f.StartsWith("generic type instantiation"));
            Assert.Contains("exception filter in Uses.Filter", findings);
        }
        finally
        {
            File.Delete(probe);
        }
    }

    [Fact]
    public void Opcodes_WalksIlWithOperands()
    {
        // ldc.i4.s 5; ldc.i4 0x100; add; switch (2 targets); ret
        byte[] il = [0x1F, 0x05, 0x20, 0x00, 0x01, 0x00, 0x00, 0x58, 0x45, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x2A];
        Assert.Equal(["ldc.i4.s", "ldc.i4", "add", "switch", "ret"], NanoMetadataScanner.Opcodes(il));
        Assert.Equal(["localloc", "calli"], NanoMetadataScanner.Opcodes([0xFE, 0x0F, 0x29, 0, 0, 0, 0]));
    }

    [Fact]
    public void NfprojSources_TakeEveryPortableSource()
    {
        foreach (string folder in new[] { Path.Combine("Drivers", "NanoAgent.Drivers"), Path.Combine("Boards", "NanoAgent.Boards"), Path.Combine("Agent", "NanoAgent.Agent") })
        {
            string root = Path.Combine(NanoCompiler.RepoRoot, folder);
            int all = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                .Count(f => !Path.GetRelativePath(root, f).StartsWith("obj") && !Path.GetRelativePath(root, f).StartsWith("bin"));
            Assert.Equal(all, NanoCompiler.NfprojSources(folder).Length);
        }
    }
}
