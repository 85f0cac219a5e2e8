using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NanoAgent.Portable.NfCheck;

/// <summary>The shims stand only for the two packages the package source lacks, and never for anything mscorlib has.</summary>
public class ShimSurfaceTests
{
    private static string[] TypesOf(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        MetadataReader md = pe.GetMetadataReader();
        return md.TypeDefinitions.Select(h => md.GetTypeDefinition(h))
            .Where(t => !t.Namespace.IsNil)
            .Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
    }

    [Fact]
    public void Shims_DeclareOnlyTheListedTypes_NoneOfThemInMscorlib()
    {
        NanoCompiler.Compiled r = NanoCompiler.Result;
        Assert.True(r.Collections.Errors.IsEmpty && r.Text.Errors.IsEmpty, string.Join("\n", r.Collections.Errors.Concat(r.Text.Errors)));
        string[] collections = TypesOf(r.Collections.Image!);
        string[] text = TypesOf(r.Text.Image!);

        Assert.Equal(["System.Collections.DictionaryEntry", "System.Collections.Hashtable", "System.Collections.IDictionary", "System.Collections.IDictionaryEnumerator"], collections);
        Assert.Equal(["System.Text.Encoding", "System.Text.StringBuilder"], text);
        string[] mscorlib = TypesOf(File.ReadAllBytes(NanoCompiler.MscorlibPath));
        Assert.Empty(collections.Concat(text).Intersect(mscorlib));
    }
}
