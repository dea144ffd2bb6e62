using System.Collections.ObjectModel;
using System.Globalization;
using System.Reflection;
using AiSwitch.HelpGen.Markdown;

namespace AiSwitch.HelpGen.Metadata;

/// <summary>
/// Reads every [Cmdlet] class of the built cmdlet assembly through a MetadataLoadContext (nothing is loaded to run,
/// so PowerShell is not needed): names, parameter sets, and per parameter its type, sets, position, pipeline input,
/// aliases, wildcards, valid values ([ValidateSet], or an enum's names) and starting value.
/// </summary>
internal static class CmdletAssemblyReader
{
    private const string Sma = "System.Management.Automation.";

    /// <param name="references">Assemblies or folders of them that the cmdlet assembly's types need (its dependencies
    /// and PowerShell's reference assembly); this runtime's own assemblies are added.</param>
    public static IReadOnlyList<CmdletMetadata> Read(string assemblyPath, IEnumerable<string> references, List<HelpProblem> problems)
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var files = new[] { assemblyPath }
            .Concat(references.Append(runtime).SelectMany(r => Directory.Exists(r) ? Directory.EnumerateFiles(r, "*.dll") : [r]))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First()); // the cmdlet assembly's own dependencies over the runtime's copies
        using var context = new MetadataLoadContext(new PathAssemblyResolver(files));
        var initializers = new Dictionary<string, InitializerReader>(StringComparer.Ordinal);
        try
        {
            return context.LoadFromAssemblyPath(assemblyPath).GetTypes()
                .Where(t => !t.IsAbstract && Attribute(t.GetCustomAttributesData(), "CmdletAttribute") is not null)
                .Select(t => Describe(t, initializers, assemblyPath, problems))
                .OrderBy(c => c.Name, StringComparer.Ordinal)
                .ToList();
        }
        finally
        {
            foreach (var reader in initializers.Values)
            {
                reader.Dispose();
            }
        }
    }

    /// <param name="initializers">One IL reader per assembly: a base class may live in another one (the fixtures' AiCmdlet).</param>
    private static CmdletMetadata Describe(Type type, Dictionary<string, InitializerReader> initializers, string assemblyPath, List<HelpProblem> problems)
    {
        var cmdlet = Attribute(type.GetCustomAttributesData(), "CmdletAttribute")!;
        var verb = (string)cmdlet.ConstructorArguments[0].Value!;
        var noun = (string)cmdlet.ConstructorArguments[1].Value!;
        var shouldProcess = Named<bool>(cmdlet, "SupportsShouldProcess");

        // Base classes first, as PowerShell lists a cmdlet's parameters; PowerShell's own classes add none.
        var hierarchy = new List<Type>();
        for (var t = type; t?.BaseType is not null && t.Assembly.GetName().Name != "System.Management.Automation"; t = t.BaseType)
        {
            hierarchy.Insert(0, t);
        }

        var parameters = new List<ParameterMetadata>();
        foreach (var declaring in hierarchy)
        {
            var location = declaring.Assembly.Location;
            var reader = initializers.TryGetValue(location, out var known) ? known : initializers[location] = new InitializerReader(location);
            var starts = reader.Read(declaring.Namespace ?? string.Empty, declaring.Name);
            foreach (var property in declaring.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (Describe(property, starts, $"{verb}-{noun}", assemblyPath, problems) is { } parameter)
                {
                    parameters.Add(parameter);
                }
            }
        }

        if (shouldProcess)
        {
            parameters.Add(Common("WhatIf", "wi"));
            parameters.Add(Common("Confirm", "cf"));
        }

        var defaultSet = Named<string>(cmdlet, "DefaultParameterSetName");
        var sets = parameters.SelectMany(p => p.Sets).Select(s => s.SetName).Where(s => s != CmdletMetadata.AllParameterSets);
        var ordered = (defaultSet is null ? sets : sets.Prepend(defaultSet)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new CmdletMetadata(verb, noun, shouldProcess, ordered.Count == 0 ? [CmdletMetadata.AllParameterSets] : ordered, parameters);
    }

    private static ParameterMetadata? Describe(PropertyInfo property, IReadOnlyDictionary<string, Initializer> starts, string cmdlet, string assemblyPath, List<HelpProblem> problems)
    {
        var attributes = property.GetCustomAttributesData();
        var sets = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute")
            .Select(a => new SetMembership(
                Named<string>(a, "ParameterSetName") ?? CmdletMetadata.AllParameterSets,
                Named<bool>(a, "Mandatory"),
                a.NamedArguments.Any(n => n.MemberName == "Position") ? Named<int>(a, "Position") : null,
                Named<bool>(a, "ValueFromPipeline"),
                Named<bool>(a, "ValueFromPipelineByPropertyName")))
            .ToList();
        if (sets.Count == 0)
        {
            return null;
        }

        var type = property.PropertyType;
        var nullable = type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1";
        if (nullable)
        {
            type = type.GetGenericArguments()[0];
        }

        var isSwitch = type.FullName == Sma + "SwitchParameter";
        var aliases = attributes.Where(a => a.AttributeType.FullName == Sma + "AliasAttribute")
            .SelectMany(a => Strings(a.ConstructorArguments[0]))
            .ToList();
        // PowerShell offers an enum's names as the values, as it does a [ValidateSet]'s.
        var validValues = Attribute(attributes, "ValidateSetAttribute") is { } validateSet
            ? Strings(validateSet.ConstructorArguments[0]).ToList()
            : type.IsEnum ? type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToList() : null;
        var declared = Attribute(attributes, "PSDefaultValueAttribute");
        string defaultValue;
        if (declared is not null)
        {
            defaultValue = Convert.ToString(declared.NamedArguments.FirstOrDefault(n => n.MemberName == "Value").TypedValue.Value, CultureInfo.InvariantCulture) ?? "None";
        }
        else if (isSwitch)
        {
            defaultValue = "False";
        }
        else
        {
            switch (starts.GetValueOrDefault(property.Name))
            {
                case Initializer.Constant constant:
                    defaultValue = type.FullName == "System.Boolean" ? (Convert.ToInt32(constant.Value, CultureInfo.InvariantCulture) != 0).ToString()
                        : type.IsEnum ? EnumName(type, constant.Value)
                        : Convert.ToString(constant.Value, CultureInfo.InvariantCulture)!;
                    break;
                case Initializer.Computed when !sets.All(s => s.Mandatory): // a mandatory parameter's start value is never seen
                    problems.Add(new HelpProblem(assemblyPath, null,
                        $"{cmdlet} -{property.Name} starts with a computed value, which help cannot read; start {property.DeclaringType!.Name}.{property.Name} with a literal or a const, or give it [PSDefaultValue(Value = ...)]"));
                    defaultValue = "None";
                    break;
                default:
                    // Never assigned: a number starts at 0 and a bool at False; anything else (or a nullable) at nothing.
                    defaultValue = nullable ? "None" : type.IsEnum ? EnumName(type, 0) : type.FullName switch
                    {
                        "System.Boolean" => "False",
                        "System.Int32" or "System.Int64" or "System.Double" or "System.Single" or "System.Decimal" => "0",
                        _ => "None",
                    };
                    break;
            }
        }

        return new ParameterMetadata(property.Name, ShortName(type), FullName(type), isSwitch, aliases,
            Attribute(attributes, "SupportsWildcardsAttribute") is not null, validValues, defaultValue, sets);
    }

    /// <summary>The name of the enum member with <paramref name="value"/> (C# stores an enum start as its number).</summary>
    private static string EnumName(Type type, object value)
    {
        var number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
        return type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .FirstOrDefault(f => Convert.ToInt64(f.GetRawConstantValue(), CultureInfo.InvariantCulture) == number)?.Name
            ?? number.ToString(CultureInfo.InvariantCulture);
    }

    private static ParameterMetadata Common(string name, string alias)
        => new(name, "SwitchParameter", Sma + "SwitchParameter", true, [alias], false, null, "False",
            [new SetMembership(CmdletMetadata.AllParameterSets, false, null, false, false)], IsCommon: true);

    private static string ShortName(Type type) => type.IsArray ? ShortName(type.GetElementType()!) + "[]" : type.Name;

    private static string FullName(Type type) => type.IsArray ? FullName(type.GetElementType()!) + "[]" : type.FullName ?? type.Name;

    private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name)
        => attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

    private static T? Named<T>(CustomAttributeData attribute, string name)
    {
        var argument = attribute.NamedArguments.FirstOrDefault(a => a.MemberName == name);
        return argument.MemberInfo is null ? default : (T?)argument.TypedValue.Value;
    }

    private static IEnumerable<string> Strings(CustomAttributeTypedArgument argument)
        => argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> items
            ? items.Select(i => (string)i.Value!)
            : [(string)argument.Value!];
}
