using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NanoAgent.Portable.NfCheck;

/// <summary>The device API assumptions of Agent/NanoAgent.Device, checked on the real mscorlib 1.17.11 (issue #14).</summary>
public class DeviceApiTests
{
    private static List<(string Name, string[] Parameters, bool Public, string[] Conditions)> MethodsOf(string typeName)
    {
        using var pe = new PEReader(File.OpenRead(NanoCompiler.MscorlibPath));
        MetadataReader md = pe.GetMetadataReader();
        TypeDefinition type = md.TypeDefinitions.Select(h => md.GetTypeDefinition(h))
            .Single(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name) == typeName);
        var methods = new List<(string, string[], bool, string[])>();
        foreach (MethodDefinitionHandle handle in type.GetMethods())
        {
            MethodDefinition method = md.GetMethodDefinition(handle);
            string[] parameters = method.DecodeSignature(new NameProvider(), null).ParameterTypes.ToArray();
            var conditions = new List<string>();
            foreach (CustomAttributeHandle a in method.GetCustomAttributes())
            {
                CustomAttribute attribute = md.GetCustomAttribute(a);
                var ctor = md.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor);
                if (md.GetString(md.GetTypeDefinition(ctor.GetDeclaringType()).Name) == "ConditionalAttribute")
                {
                    conditions.Add(attribute.DecodeValue(new NameProvider()).FixedArguments[0].Value as string ?? "");
                }
            }

            methods.Add((md.GetString(method.Name), parameters, (method.Attributes & MethodAttributes.MemberAccessMask) == MethodAttributes.Public, conditions.ToArray()));
        }

        return methods;
    }

    [Fact]
    public void DebugWriteLine_IsConditionalOnDebug_SoReleaseBuildsDropIt()
    {
        var writeLine = MethodsOf("System.Diagnostics.Debug").Single(m => m.Name == "WriteLine" && m.Parameters.SequenceEqual(["String"]));
        Assert.Equal(["DEBUG"], writeLine.Conditions);
    }

    [Fact]
    public void ConsoleWriteLine_IsPublicAndUnconditional()
    {
        var writeLine = MethodsOf("System.Console").Single(m => m.Name == "WriteLine" && m.Parameters.SequenceEqual(["String"]));
        Assert.True(writeLine.Public);
        Assert.Empty(writeLine.Conditions);
    }

    [Fact]
    public void DeviceLog_WritesWithConsoleNotDebug()
    {
        string source = File.ReadAllText(Path.Combine(NanoCompiler.RepoRoot, "Agent", "NanoAgent.Device", "Platform", "DeviceLog.cs"));
        string code = string.Join("\n", source.Split('\n').Where(l => !l.TrimStart().StartsWith("///")));
        Assert.Contains("Console.WriteLine(", code);
        Assert.DoesNotContain("Debug.Write", code);
        foreach (string file in Directory.EnumerateFiles(Path.Combine(NanoCompiler.RepoRoot, "Agent", "NanoAgent.Device"), "*.cs", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("Debug.Write", string.Join("\n", File.ReadAllLines(file).Where(l => !l.TrimStart().StartsWith("///"))));
        }
    }

    [Fact]
    public void DeviceLogAndSettings_CompileAgainstRealMscorlib()
    {
        // The firmware files that need no device package: the log (Console) and the settings reader.
        NanoCompiler.Compiled r = NanoCompiler.Result;
        var references = new List<Microsoft.CodeAnalysis.MetadataReference>(r.AgentReferences)
        {
            Microsoft.CodeAnalysis.MetadataReference.CreateFromImage(r.Agent.Image!),
        };
        string platform = Path.Combine(NanoCompiler.RepoRoot, "Agent", "NanoAgent.Device", "Platform");

        var (image, errors) = NanoCompiler.Compile("NanoAgent.Device.Part", [Path.Combine(platform, "DeviceLog.cs"), Path.Combine(platform, "DeviceSettings.cs")], references);

        Assert.True(errors.IsEmpty, string.Join("\n", errors));
        Assert.Empty(NanoMetadataScanner.Scan(image!));
    }

    private sealed class NameProvider : ISignatureTypeProvider<string, object?>, ICustomAttributeTypeProvider<string>
    {
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetGenericInstantiation(string genericType, System.Collections.Immutable.ImmutableArray<string> typeArguments) => genericType + "<>";
        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => "spec";
        public string GetSystemType() => "Type";
        public bool IsSystemType(string type) => type == "Type";
        public string GetTypeFromSerializedName(string name) => name;
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;
    }
}
