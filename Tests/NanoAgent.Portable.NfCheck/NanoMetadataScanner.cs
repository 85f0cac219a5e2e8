using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NanoAgent.Portable.NfCheck;

/// <summary>
/// Reads a compiled assembly's metadata and IL for what nanoFramework 1.x (mscorlib 1.17.11, no generics) cannot load or
/// run: generic type or method definitions (GenericParam rows), generic instantiations (TypeSpec signatures with GENERICINST,
/// VAR or MVAR; MethodSpec rows), exception filters (<c>catch ... when</c>), and the opcodes listed in
/// <see cref="UnsupportedOpcodes"/>.
/// </summary>
internal static class NanoMetadataScanner
{
    /// <summary>
    /// Opcodes the interpreter does not run. nf-interpreter src/CLR/Core/Interpreter.cpp ends its opcode switch with an
    /// "Unsupported opcodes" group handed to CLR_Checks::VerifyUnsupportedInstruction: arglist, jmp, initblk, calli,
    /// ckfinite, mkrefany, refanytype, refanyval, readonly. localloc and cpblk are implemented there only in the interpreter
    /// line that also brought generics (2.x), not in the 1.x runtime of mscorlib 1.17.11, and constrained. only appears
    /// with generic code: all three are refused too.
    /// </summary>
    public static readonly string[] UnsupportedOpcodes =
    [
        "arglist", "jmp", "initblk", "calli", "ckfinite", "mkrefany", "refanytype", "refanyval", "readonly.",
        "localloc", "cpblk", "constrained.",
    ];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Returns one line per finding; empty when the assembly fits nanoFramework 1.x.</summary>
    public static List<string> Scan(byte[] image)
    {
        var findings = new List<string>();
        using var pe = new PEReader(new MemoryStream(image));
        MetadataReader md = pe.GetMetadataReader();

        foreach (GenericParameterHandle handle in Enumerable.Range(1, md.GetTableRowCount(TableIndex.GenericParam)).Select(MetadataTokens.GenericParameterHandle))
        {
            GenericParameter p = md.GetGenericParameter(handle);
            findings.Add($"generic definition: parameter '{md.GetString(p.Name)}' of {OwnerName(md, p.Parent)}");
        }

        if (md.GetTableRowCount(TableIndex.MethodSpec) > 0)
        {
            findings.Add($"generic method instantiation: {md.GetTableRowCount(TableIndex.MethodSpec)} MethodSpec row(s)");
        }

        for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
        {
            if (md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row)).DecodeSignature(GenericFinder.Instance, null))
            {
                findings.Add($"generic type instantiation: TypeSpec row {row}");
            }
        }

        foreach (MethodDefinitionHandle handle in md.MethodDefinitions)
        {
            MethodDefinition method = md.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }

            string name = md.GetString(md.GetTypeDefinition(method.GetDeclaringType()).Name) + "." + md.GetString(method.Name);
            MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
            foreach (ExceptionRegion region in body.ExceptionRegions)
            {
                if (region.Kind == ExceptionRegionKind.Filter)
                {
                    findings.Add($"exception filter in {name}");
                }
            }

            foreach (string opcode in Opcodes(body.GetILBytes()!))
            {
                if (UnsupportedOpcodes.Contains(opcode))
                {
                    findings.Add($"opcode {opcode} in {name}");
                }
            }
        }

        return findings;
    }

    /// <summary>Walks IL and yields each instruction's opcode name.</summary>
    public static IEnumerable<string> Opcodes(byte[] il)
    {
        int at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            if (!OpCodesByValue.TryGetValue(value, out OpCode op))
            {
                throw new InvalidDataException($"unknown opcode 0x{value:X4} at IL offset {at}");
            }

            yield return op.Name!;
            at += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
                _ => 4,
            };
        }
    }

    private static string OwnerName(MetadataReader md, EntityHandle owner) => owner.Kind == HandleKind.TypeDefinition
        ? md.GetString(md.GetTypeDefinition((TypeDefinitionHandle)owner).Name)
        : md.GetString(md.GetMethodDefinition((MethodDefinitionHandle)owner).Name);

    // ECMA-335 §II.23.2.14: a TypeSpec is an array, pointer or generic instantiation; VAR/MVAR only appear in generic code.
    private sealed class GenericFinder : ISignatureTypeProvider<bool, object?>
    {
        public static readonly GenericFinder Instance = new();

        public bool GetArrayType(bool elementType, ArrayShape shape) => elementType;

        public bool GetByReferenceType(bool elementType) => elementType;

        public bool GetFunctionPointerType(MethodSignature<bool> signature) => true;

        public bool GetGenericInstantiation(bool genericType, System.Collections.Immutable.ImmutableArray<bool> typeArguments) => true;

        public bool GetGenericMethodParameter(object? genericContext, int index) => true;

        public bool GetGenericTypeParameter(object? genericContext, int index) => true;

        public bool GetModifiedType(bool modifier, bool unmodifiedType, bool isRequired) => unmodifiedType;

        public bool GetPinnedType(bool elementType) => elementType;

        public bool GetPointerType(bool elementType) => elementType;

        public bool GetPrimitiveType(PrimitiveTypeCode typeCode) => false;

        public bool GetSZArrayType(bool elementType) => elementType;

        public bool GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => false;

        public bool GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => false;

        public bool GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
