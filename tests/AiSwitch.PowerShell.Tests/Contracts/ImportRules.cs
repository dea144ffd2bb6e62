using System.Reflection;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>
/// What Import-Module needs from the root assembly. PowerShell enumerates the root assembly's exported types
/// (<c>Assembly.ExportedTypes</c>) before it runs <c>IModuleAssemblyInitializer.OnImport</c>, and loading a type
/// loads its base classes, its interfaces and the value types of its fields. If any of those lives in an assembly
/// under dependencies/, the runtime cannot find it yet (the private load context is hooked up in OnImport), and
/// Import-Module fails with "Could not load file or assembly 'AiSwitch.Core'". Core types may appear in method
/// bodies, reference-type fields and properties, and private nested classes, which load later; a Core enum or
/// struct as a parameter's type may not (its backing field's layout needs it).
/// </summary>
internal static class ImportRules
{
    public static IEnumerable<string> ExportedTypesLoadBeforeOnImport(Assembly root, IReadOnlySet<string> privateAssemblies)
    {
        foreach (var type in root.GetExportedTypes())
        {
            // A problem a type inherits from an exported base class of its own assembly is reported once, on that base.
            var inherited = type.BaseType is { IsVisible: true } parent && parent.Assembly == root
                ? Needs(parent, privateAssemblies).Select(n => n.Type).ToHashSet()
                : [];
            foreach (var (needed, through) in Needs(type, privateAssemblies).Where(n => !inherited.Contains(n.Type)))
            {
                yield return $"{type.FullName} needs {needed.Assembly.GetName().Name} to load ({through} {needed.FullName}), but PowerShell loads the module's public types before OnImport hooks up dependencies/. Keep {needed.Name} out of public types' base classes, interfaces and value-type fields and properties (implement an interface in a private nested class; give a parameter a string with [ValidateSet] or an enum of the cmdlet assembly).";
            }
        }
    }

    private static IEnumerable<(Type Type, string Through)> Needs(Type type, IReadOnlySet<string> privateAssemblies)
        => TypesNeededToLoad(type).Where(n => privateAssemblies.Contains(n.Type.Assembly.GetName().Name!));

    private static IEnumerable<(Type Type, string Through)> TypesNeededToLoad(Type type)
    {
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            yield return (baseType, "base class");
            foreach (var argument in baseType.GetGenericArguments())
            {
                yield return (argument, "generic argument");
            }
        }

        foreach (var contract in type.GetInterfaces())
        {
            yield return (contract, "interface");
        }

        var fields = type.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
        foreach (var field in fields.Where(f => f.FieldType.IsValueType))
        {
            var backing = System.Text.RegularExpressions.Regex.Match(field.Name, "^<(.+)>k__BackingField$");
            var through = backing.Success ? $"property {backing.Groups[1].Value} of value type" : $"field {field.Name} of value type";
            yield return (field.FieldType, through);
            // A generic struct's layout needs its arguments too: a Nullable<CoreEnum> property needs Core.
            foreach (var argument in field.FieldType.GetGenericArguments())
            {
                yield return (argument, through);
            }
        }
    }
}
