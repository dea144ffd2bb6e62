using System.Collections.ObjectModel;
using System.Reflection;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>Reads every [Cmdlet] class of an assembly loaded in a MetadataLoadContext into <see cref="CmdletDescription"/>s.</summary>
internal static class CmdletReader
{
    private const string Sma = "System.Management.Automation.";

    /// <param name="typeSources">Where a string-named [OutputType] may be found (the cmdlet assembly and Core).</param>
    public static IReadOnlyList<CmdletDescription> Read(Assembly cmdlets, IReadOnlyList<Assembly> typeSources)
        => cmdlets.GetTypes()
            .Select(type => (Type: type, Cmdlet: Attribute(type, "CmdletAttribute")))
            .Where(x => x.Cmdlet is not null)
            .Select(x => Describe(x.Type, x.Cmdlet!, typeSources))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();

    private static CmdletDescription Describe(Type type, CustomAttributeData cmdlet, IReadOnlyList<Assembly> typeSources)
    {
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(DescribeParameter)
            .OfType<CmdletParameter>()
            .ToList();
        var outputs = type.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute")
            .SelectMany(a => Elements(a.ConstructorArguments[0]))
            .Select(value => ResolveOutput(value, typeSources))
            .ToList();
        return new CmdletDescription(
            type,
            (string)cmdlet.ConstructorArguments[0].Value!,
            (string)cmdlet.ConstructorArguments[1].Value!,
            Named<string>(cmdlet, "DefaultParameterSetName"),
            Named<bool>(cmdlet, "SupportsShouldProcess"),
            EnumName(cmdlet, "ConfirmImpact") ?? "Medium",
            parameters,
            outputs);
    }

    private static CmdletParameter? DescribeParameter(PropertyInfo property)
    {
        var attributes = property.GetCustomAttributesData();
        var sets = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute")
            .Select(a => new ParameterSetMembership(
                Named<string>(a, "ParameterSetName") ?? CmdletDescription.AllParameterSets,
                Named<bool>(a, "Mandatory"),
                Named<bool>(a, "ValueFromPipeline"),
                Named<bool>(a, "ValueFromPipelineByPropertyName")))
            .ToList();
        if (sets.Count == 0)
        {
            return null;
        }

        var aliases = attributes.Where(a => a.AttributeType.FullName == Sma + "AliasAttribute")
            .SelectMany(a => Elements(a.ConstructorArguments[0]))
            .OfType<string>()
            .ToList();
        var completes = attributes.Any(a => IsCompletion(a.AttributeType));
        return new CmdletParameter(property.Name, property.PropertyType, aliases, sets, completes);
    }

    private static OutputTypeDeclaration ResolveOutput(object? value, IReadOnlyList<Assembly> typeSources)
    {
        switch (value)
        {
            case Type type:
                try
                {
                    // Touching the members proves the type resolves from the module's folders, as PowerShell would need.
                    _ = type.GetProperties();
                    return new OutputTypeDeclaration(type.FullName ?? type.Name, type, null);
                }
                catch (FileNotFoundException ex)
                {
                    return new OutputTypeDeclaration(type.FullName ?? type.Name, null, $"its assembly cannot be found ({ex.Message})");
                }

            case string name:
                var found = typeSources.Select(a => a.GetType(name, throwOnError: false, ignoreCase: false)).FirstOrDefault(t => t is not null);
                return found is not null
                    ? new OutputTypeDeclaration(name, found, null)
                    : new OutputTypeDeclaration(name, null, $"no type '{name}' exists in {string.Join(" or ", typeSources.Select(a => a.GetName().Name))}");
            default:
                return new OutputTypeDeclaration(value?.ToString() ?? "(null)", null, "it is neither a type nor a type name");
        }
    }

    private static bool IsCompletion(Type? attribute)
    {
        for (; attribute is not null; attribute = attribute.BaseType)
        {
            if (attribute.FullName is Sma + "ArgumentCompleterAttribute" or Sma + "ArgumentCompletionsAttribute" or Sma + "ValidateSetAttribute")
            {
                return true;
            }
        }

        return false;
    }

    private static CustomAttributeData? Attribute(Type type, string name)
        => type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

    private static T? Named<T>(CustomAttributeData attribute, string name)
    {
        var argument = attribute.NamedArguments.FirstOrDefault(a => a.MemberName == name);
        return argument.MemberInfo is null ? default : (T?)argument.TypedValue.Value;
    }

    private static string? EnumName(CustomAttributeData attribute, string name)
    {
        var argument = attribute.NamedArguments.FirstOrDefault(a => a.MemberName == name);
        if (argument.MemberInfo is null)
        {
            return null;
        }

        var enumType = argument.TypedValue.ArgumentType;
        return enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .First(f => Equals(f.GetRawConstantValue(), argument.TypedValue.Value)).Name;
    }

    private static IEnumerable<object?> Elements(CustomAttributeTypedArgument argument)
        => argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> items
            ? items.Select(i => i.Value)
            : [argument.Value];
}
