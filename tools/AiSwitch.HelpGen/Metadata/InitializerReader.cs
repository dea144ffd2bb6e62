using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace AiSwitch.HelpGen.Metadata;

/// <summary>How a property starts out, read from its class's constructor: a constant, nothing, or a computed value.</summary>
internal abstract record Initializer
{
    public sealed record Constant(object Value) : Initializer;

    /// <summary>null, "" or an empty array: help shows "None".</summary>
    public sealed record Empty : Initializer;

    /// <summary>Anything else (a call, a sum): only the class can say what it is, with [PSDefaultValue].</summary>
    public sealed record Computed : Initializer;
}

/// <summary>
/// Reads a class's property initializers (<c>public int Timeout { get; set; } = 10;</c>) from the IL of its
/// constructor, where C# puts them: <c>ldarg.0; ldc.i4.s 10; stfld &lt;Timeout&gt;k__BackingField</c>. Nothing runs.
/// </summary>
internal sealed class InitializerReader : IDisposable
{
    private static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly PEReader _pe;
    private readonly MetadataReader _metadata;

    public InitializerReader(string assemblyPath)
    {
        _pe = new PEReader(File.OpenRead(assemblyPath));
        _metadata = _pe.GetMetadataReader();
    }

    /// <summary>The initialized auto-properties of one class (not its base classes), by property name.</summary>
    public IReadOnlyDictionary<string, Initializer> Read(string typeNamespace, string typeName)
    {
        var handle = _metadata.TypeDefinitions
            .FirstOrDefault(h => _metadata.GetString(_metadata.GetTypeDefinition(h).Namespace) == typeNamespace && _metadata.GetString(_metadata.GetTypeDefinition(h).Name) == typeName);
        if (handle.IsNil)
        {
            throw new ArgumentException($"The assembly has no type {typeNamespace}.{typeName}.", nameof(typeName));
        }

        var constructor = _metadata.GetTypeDefinition(handle).GetMethods().Select(_metadata.GetMethodDefinition)
            .FirstOrDefault(m => _metadata.GetString(m.Name) == ".ctor" && m.RelativeVirtualAddress != 0);
        return constructor.RelativeVirtualAddress == 0
            ? new Dictionary<string, Initializer>()
            : Initializers(Instructions(_pe.GetMethodBody(constructor.RelativeVirtualAddress).GetILReader()));
    }

    public void Dispose() => _pe.Dispose();

    private Dictionary<string, Initializer> Initializers(List<(OpCode Code, long Operand)> instructions)
    {
        var result = new Dictionary<string, Initializer>(StringComparer.Ordinal);
        for (var k = 0; k < instructions.Count; k++)
        {
            if (instructions[k].Code != OpCodes.Stfld || BackingFieldOf((int)instructions[k].Operand) is not { } property)
            {
                continue;
            }

            var start = instructions.FindLastIndex(k, i => i.Code == OpCodes.Ldarg_0);
            result[property] = Classify(instructions.GetRange(start + 1, k - start - 1));
        }

        return result;
    }

    private Initializer Classify(List<(OpCode Code, long Operand)> value)
    {
        if (value is [var only])
        {
            var code = only.Code;
            if (code == OpCodes.Ldstr)
            {
                return new Initializer.Constant(_metadata.GetUserString(MetadataTokens.UserStringHandle((int)only.Operand)));
            }

            if (code == OpCodes.Ldnull || ((code == OpCodes.Ldsfld || code == OpCodes.Call) && MemberName((int)only.Operand) == "Empty"))
            {
                return new Initializer.Empty();
            }

            if (code == OpCodes.Ldc_R8)
            {
                return new Initializer.Constant(BitConverter.Int64BitsToDouble(only.Operand));
            }

            if (code == OpCodes.Ldc_R4)
            {
                return new Initializer.Constant((double)BitConverter.Int32BitsToSingle((int)only.Operand));
            }

            if (code == OpCodes.Ldc_I8)
            {
                return new Initializer.Constant(only.Operand);
            }

            if (IntegerConstant(code, only.Operand) is { } number)
            {
                return new Initializer.Constant(number);
            }
        }

        // A small constant of a long-based enum: ldc.i4.1; conv.i8.
        if (value is [var small, var widen] && (widen.Code == OpCodes.Conv_I8 || widen.Code == OpCodes.Conv_U8) && IntegerConstant(small.Code, small.Operand) is { } wide)
        {
            return new Initializer.Constant((long)wide);
        }

        if (value is [var length, var array] && array.Code == OpCodes.Newarr && IntegerConstant(length.Code, length.Operand) == 0)
        {
            return new Initializer.Empty();
        }

        return new Initializer.Computed();
    }

    private static int? IntegerConstant(OpCode code, long operand)
    {
        if (code == OpCodes.Ldc_I4 || code == OpCodes.Ldc_I4_S)
        {
            return (int)operand;
        }

        var shortForms = new[] { OpCodes.Ldc_I4_M1, OpCodes.Ldc_I4_0, OpCodes.Ldc_I4_1, OpCodes.Ldc_I4_2, OpCodes.Ldc_I4_3, OpCodes.Ldc_I4_4, OpCodes.Ldc_I4_5, OpCodes.Ldc_I4_6, OpCodes.Ldc_I4_7, OpCodes.Ldc_I4_8 };
        var index = Array.IndexOf(shortForms, code);
        return index < 0 ? null : index - 1;
    }

    private string? BackingFieldOf(int token)
    {
        var handle = MetadataTokens.EntityHandle(token);
        if (handle.Kind != HandleKind.FieldDefinition)
        {
            return null;
        }

        var name = _metadata.GetString(_metadata.GetFieldDefinition((FieldDefinitionHandle)handle).Name);
        return name.StartsWith('<') && name.EndsWith(">k__BackingField", StringComparison.Ordinal) ? name[1..name.IndexOf('>', StringComparison.Ordinal)] : null;
    }

    private string? MemberName(int token)
    {
        var handle = MetadataTokens.EntityHandle(token);
        return handle.Kind switch
        {
            HandleKind.MemberReference => _metadata.GetString(_metadata.GetMemberReference((MemberReferenceHandle)handle).Name),
            HandleKind.MethodSpecification => MemberName(MetadataTokens.GetToken(_metadata.GetMethodSpecification((MethodSpecificationHandle)handle).Method)),
            HandleKind.FieldDefinition => _metadata.GetString(_metadata.GetFieldDefinition((FieldDefinitionHandle)handle).Name),
            HandleKind.MethodDefinition => _metadata.GetString(_metadata.GetMethodDefinition((MethodDefinitionHandle)handle).Name),
            _ => null,
        };
    }

    private static List<(OpCode Code, long Operand)> Instructions(BlobReader il)
    {
        var instructions = new List<(OpCode, long)>();
        while (il.RemainingBytes > 0)
        {
            var first = il.ReadByte();
            var code = Codes[first == 0xFE ? unchecked((short)(0xFE00 | il.ReadByte())) : first];
            long operand = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineVar => il.ReadByte(),
                OperandType.ShortInlineI => il.ReadSByte(),
                OperandType.InlineVar => il.ReadUInt16(),
                OperandType.InlineI8 or OperandType.InlineR => il.ReadInt64(),
                OperandType.InlineSwitch => SkipSwitch(ref il),
                _ => il.ReadInt32(),
            };
            instructions.Add((code, operand));
        }

        return instructions;
    }

    private static long SkipSwitch(ref BlobReader il)
    {
        var count = il.ReadInt32();
        il.Offset += count * 4;
        return count;
    }
}
