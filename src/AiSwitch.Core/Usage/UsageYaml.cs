using AiSwitch.Core.Home;
using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace AiSwitch.Core.Usage;

/// <summary>Reading the usage area's small YAML files (pricing, quotas, alerts) with errors that name file, line and fix.</summary>
internal static class UsageYaml
{
    public static YamlMappingNode? Load(string path, string what)
    {
        var bytes = Home.AtomicFile.ReadOrNull(path);
        return bytes is null ? null : Load(bytes, path, what);
    }

    public static YamlMappingNode Load(byte[] bytes, string path, string what)
        => YamlFile.LoadMapping(bytes, path, ErrorId.UsageConfigInvalid, what);

    public static YamlMappingNode? Mapping(YamlMappingNode parent, string key, string path, string what)
    {
        if (!parent.Children.TryGetValue(new YamlScalarNode(key), out var node) || YamlFile.IsNull(node))
        {
            return null;
        }

        return node as YamlMappingNode ?? throw Invalid(path, what, node, $"'{key}' must be a mapping of 'name: value' lines");
    }

    public static string? Text(YamlMappingNode parent, string key)
        => parent.Children.TryGetValue(new YamlScalarNode(key), out var node) ? YamlFile.Text(node) : null;

    public static decimal? Number(YamlMappingNode parent, string key, string path, string what)
    {
        if (!parent.Children.TryGetValue(new YamlScalarNode(key), out var node) || YamlFile.IsNull(node))
        {
            return null;
        }

        var text = YamlFile.Text(node);
        if (text is null || !decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw Invalid(path, what, node, $"'{key}' must be a number of 0 or more, not '{text}'");
        }

        return value;
    }

    public static IReadOnlyList<string> List(YamlMappingNode parent, string key, string path, string what)
    {
        if (!parent.Children.TryGetValue(new YamlScalarNode(key), out var node) || YamlFile.IsNull(node))
        {
            return [];
        }

        if (node is YamlScalarNode scalar)
        {
            return [scalar.Value ?? string.Empty];
        }

        return node is YamlSequenceNode sequence
            ? sequence.Children.Select(child => YamlFile.Text(child) ?? throw Invalid(path, what, child, $"each of '{key}' must be a plain value")).ToList()
            : throw Invalid(path, what, node, $"'{key}' must be a list such as [a, b]");
    }

    public static AiSwitchException Invalid(string path, string what, YamlNode at, string problem)
        => YamlFile.Invalid(ErrorId.UsageConfigInvalid, what, path, at.Start, problem);
}
