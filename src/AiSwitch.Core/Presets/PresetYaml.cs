using AiSwitch.Core.Home;
using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiSwitch.Core.Presets;

/// <summary>
/// The preset file format: the original aiswitch's fields (name, description, variables, created_at, tags)
/// plus updated_at and schema_version. Read tolerantly (unknown fields kept, timestamps as ISO 8601 strings or
/// YAML timestamps, scalars taken as written); written with every string quoted, so other YAML readers
/// (the original's PyYAML) read back exactly the same text.
/// </summary>
internal static class PresetYaml
{
    public const int SchemaVersion = 1;

    private const string What = "Preset file";

    /// <summary>A parsed file, and the name its <c>name</c> field gives when that differs from the file's name.</summary>
    public sealed record Parsed(PresetDefinition Definition, string? DeclaredName);

    /// <summary>Parses a preset file. The file name (without .yaml) is the preset's name.</summary>
    public static Parsed Parse(byte[] bytes, string path, string name)
    {
        var root = YamlFile.LoadMapping(bytes, path, ErrorId.PresetFileInvalid, What);
        string? declaredName = null;
        var description = string.Empty;
        IReadOnlyDictionary<string, string> variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyList<string> tags = [];
        DateTimeOffset? createdAt = null, updatedAt = null;
        var unknown = new List<KeyValuePair<YamlNode, YamlNode>>();

        foreach (var entry in root.Children)
        {
            var key = entry.Key as YamlScalarNode
                ?? throw Invalid(path, entry.Key.Start, "a top-level key must be a plain word such as 'variables'");
            switch (key.Value)
            {
                case "name":
                    declaredName = Scalar(path, entry.Value, "name");
                    break;
                case "description":
                    description = Scalar(path, entry.Value, "description") ?? string.Empty;
                    break;
                case "variables":
                    variables = Variables(path, entry.Value);
                    break;
                case "tags":
                    tags = Tags(path, entry.Value);
                    break;
                case "created_at":
                    createdAt = Timestamp(path, entry.Value, "created_at");
                    break;
                case "updated_at":
                    updatedAt = Timestamp(path, entry.Value, "updated_at");
                    break;
                case "schema_version":
                    CheckSchemaVersion(path, entry.Value);
                    break;
                default:
                    unknown.Add(entry);
                    break;
            }
        }

        var definition = new PresetDefinition
        {
            Name = name,
            Description = description,
            Variables = variables,
            Tags = tags,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
            SourcePath = path,
            UnknownFields = unknown,
        };
        return new Parsed(definition, declaredName is not null && declaredName != name ? declaredName : null);
    }

    public static byte[] Serialize(PresetDefinition preset)
    {
        var variables = new YamlMappingNode();
        foreach (var (name, value) in preset.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            variables.Add(new YamlScalarNode(name), Quoted(value));
        }

        var tags = new YamlSequenceNode(preset.Tags.Select(t => (YamlNode)Quoted(t))) { Style = YamlDotNet.Core.Events.SequenceStyle.Block };
        var root = new YamlMappingNode
        {
            { "name", Quoted(preset.Name) },
            { "description", Quoted(preset.Description) },
            { "variables", variables },
            { "tags", tags },
        };
        if (preset.CreatedAt is { } created)
        {
            root.Add("created_at", Quoted(created.ToString("O", CultureInfo.InvariantCulture)));
        }

        if (preset.UpdatedAt is { } updated)
        {
            root.Add("updated_at", Quoted(updated.ToString("O", CultureInfo.InvariantCulture)));
        }

        root.Add("schema_version", new YamlScalarNode(SchemaVersion.ToString(CultureInfo.InvariantCulture)));
        foreach (var field in preset.UnknownFields)
        {
            root.Add(field.Key, field.Value);
        }

        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        writer.WriteLine("# AiSwitch preset. Values may be literals or references: env:NAME, file:PATH, secret:[VAULT/]NAME.");
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        // The emitter closes the document with an explicit end marker; a one-document file does not need it.
        var text = writer.ToString();
        text = text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
    }

    private static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    private static string? Scalar(string path, YamlNode node, string field)
    {
        if (YamlFile.IsNull(node))
        {
            return null;
        }

        return YamlFile.Text(node) ?? throw Invalid(path, node.Start, $"'{field}' must be text, not a list or a mapping");
    }

    private static SortedDictionary<string, string> Variables(string path, YamlNode node)
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (YamlFile.IsNull(node))
        {
            return variables;
        }

        if (node is not YamlMappingNode mapping)
        {
            throw Invalid(path, node.Start, "'variables' must be a mapping of NAME: value lines");
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = YamlFile.Text(keyNode);
            if (!PresetNames.IsValidVariableName(name))
            {
                throw Invalid(path, keyNode.Start,
                    $"'{(name is null ? "(not text)" : Redaction.ForMessage(name))}' is not a valid environment variable name (letters, digits and '_', not starting with a digit)");
            }

            if (YamlFile.IsNull(valueNode))
            {
                throw Invalid(path, valueNode.Start, $"{name} has no value; write \"\" for an empty value, or remove the line");
            }

            var value = YamlFile.Text(valueNode)
                ?? throw Invalid(path, valueNode.Start, $"the value of {name} must be text, not a list or a mapping");
            if (value.Contains('\0'))
            {
                throw Invalid(path, valueNode.Start, $"the value of {name} contains a NUL character, which no environment variable can hold");
            }

            variables[name!] = value;
        }

        return variables;
    }

    private static string[] Tags(string path, YamlNode node)
    {
        if (YamlFile.IsNull(node))
        {
            return [];
        }

        var items = node switch
        {
            YamlSequenceNode sequence => sequence.Children.Select(child => YamlFile.Text(child)
                ?? throw Invalid(path, child.Start, "each tag must be text")),
            // A single scalar is a comma-separated list, as the original's --tags option takes.
            YamlScalarNode scalar => (scalar.Value ?? string.Empty).Split(','),
            _ => throw Invalid(path, node.Start, "'tags' must be a list of words"),
        };
        return [.. items.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    private static DateTimeOffset? Timestamp(string path, YamlNode node, string field)
    {
        var text = Scalar(path, node, field);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // The original writes Python's datetime.isoformat() in local time without an offset: read it as local time.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal | DateTimeStyles.AllowWhiteSpaces, out var value))
        {
            return value;
        }

        throw Invalid(path, node.Start, $"'{field}' is '{text}', which is not an ISO 8601 date and time such as 2025-01-31T09:30:00Z");
    }

    private static void CheckSchemaVersion(string path, YamlNode node)
    {
        var text = Scalar(path, node, "schema_version");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw Invalid(path, node.Start, $"'schema_version' is '{text}', not a whole number");
        }

        if (version > SchemaVersion)
        {
            throw Invalid(path, node.Start,
                $"it has schema version {version}, but this AiSwitch reads up to {SchemaVersion}; update AiSwitch (the file was left as it is)");
        }
    }

    private static AiSwitchException Invalid(string path, Mark at, string problem)
        => YamlFile.Invalid(ErrorId.PresetFileInvalid, What, path, at, problem);
}
