using System.Reflection;
using System.Xml;
using System.Xml.Linq;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>
/// The contract of module/AiSwitch.format.ps1xml and AiSwitch.types.ps1xml: well-formed XML; every view and
/// every extended type names a type that exists; every PropertyName a view uses, and every member a types
/// entry refers to, exists on that type (as a CLR property or a member the types file adds).
/// </summary>
internal static class FormatDataRules
{
    /// <summary>Parses a file; a malformed one gives its parse error with line and position.</summary>
    public static (XDocument? Document, string? Problem) Load(string path)
    {
        try
        {
            return (XDocument.Load(path, LoadOptions.SetLineInfo), null);
        }
        catch (XmlException ex)
        {
            return (null, $"{Path.GetFileName(path)} is not well-formed XML: {ex.Message}");
        }
    }

    /// <summary>The members a types file adds, by type name (they may be used by views and by other members).</summary>
    public static IReadOnlyDictionary<string, HashSet<string>> ExtendedMembers(XDocument? types)
        => (types?.Root?.Elements("Type") ?? [])
            .GroupBy(t => (string?)t.Element("Name") ?? string.Empty)
            .ToDictionary(
                g => g.Key,
                g => g.Elements("Members").Elements().Select(m => (string?)m.Element("Name")).OfType<string>()
                    .Where(n => n != "PSStandardMembers").ToHashSet(StringComparer.OrdinalIgnoreCase),
                StringComparer.Ordinal);

    public static IEnumerable<string> FormatViews(XDocument format, Func<string, Type?> findType, IReadOnlyDictionary<string, HashSet<string>> extended)
    {
        foreach (var view in format.Descendants("View"))
        {
            var name = (string?)view.Element("Name") ?? "(unnamed)";
            var selectedBy = view.Element("ViewSelectedBy");
            var typeNames = selectedBy?.Elements("TypeName").Select(t => t.Value.Trim()).ToList() ?? [];
            if (typeNames.Count == 0)
            {
                yield return $"View '{name}' (line {Line(view)}) selects no TypeName.";
            }

            var used = view.Descendants("PropertyName").Select(p => (Name: p.Value.Trim(), Line: Line(p))).ToList();
            foreach (var typeName in typeNames)
            {
                var type = findType(typeName);
                if (type is null)
                {
                    yield return $"View '{name}' (line {Line(view)}) is for '{typeName}', which is not a type in the module's assemblies.";
                    continue;
                }

                var members = Members(type, typeName, extended);
                foreach (var (property, line) in used.Where(u => !members.Contains(u.Name)))
                {
                    yield return $"View '{name}' uses property '{property}' (line {line}), which {typeName} does not have. It has: {string.Join(", ", members.Order())}.";
                }
            }

            foreach (var table in view.Elements("TableControl"))
            {
                var headers = table.Element("TableHeaders")?.Elements("TableColumnHeader").Count();
                foreach (var row in table.Descendants("TableColumnItems"))
                {
                    var columns = row.Elements("TableColumnItem").Count();
                    if (headers is { } count && count != columns)
                    {
                        yield return $"View '{name}' has {count} table headers but {columns} columns (line {Line(row)}).";
                    }
                }
            }
        }
    }

    public static IEnumerable<string> TypeExtensions(XDocument types, Func<string, Type?> findType, IReadOnlyDictionary<string, HashSet<string>> extended)
    {
        foreach (var entry in types.Root?.Elements("Type") ?? [])
        {
            var typeName = ((string?)entry.Element("Name"))?.Trim() ?? string.Empty;
            var type = findType(typeName);
            if (type is null)
            {
                yield return $"types.ps1xml extends '{typeName}' (line {Line(entry)}), which is not a type in the module's assemblies.";
                continue;
            }

            var members = Members(type, typeName, extended);
            var references = entry.Descendants("ReferencedMemberName")
                .Concat(entry.Descendants("ReferencedProperties").Elements("Name"))
                .Select(r => (Name: r.Value.Trim(), Line: Line(r)));
            foreach (var (member, line) in references.Where(r => !members.Contains(r.Name)))
            {
                yield return $"types.ps1xml refers to '{member}' on {typeName} (line {line}), which it does not have. It has: {string.Join(", ", members.Order())}.";
            }
        }
    }

    /// <summary>Finds a type by its full name in the given assemblies (Core's output types, for the module).</summary>
    public static Func<string, Type?> TypesIn(params Assembly[] assemblies)
        => name => assemblies.Select(a => a.GetType(name, throwOnError: false)).FirstOrDefault(t => t is not null);

    private static HashSet<string> Members(Type type, string typeName, IReadOnlyDictionary<string, HashSet<string>> extended)
    {
        var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (extended.TryGetValue(typeName, out var added))
        {
            members.UnionWith(added);
        }

        return members;
    }

    private static int Line(XObject node) => ((IXmlLineInfo)node).LineNumber;
}
