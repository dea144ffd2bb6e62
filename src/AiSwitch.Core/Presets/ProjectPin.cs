using AiSwitch.Core.Home;
using YamlDotNet.RepresentationModel;

namespace AiSwitch.Core.Presets;

/// <summary>
/// A project's pinned preset: <c>.aiswitch.yaml</c> in the project folder (the original aiswitch's format),
/// <c>preset: NAME</c> and optional <c>overrides: {NAME: value}</c>, found from a folder upward.
/// </summary>
internal sealed class ProjectPin
{
    public const string FileName = ".aiswitch.yaml";

    private const string What = "Project pin file";

    public required string Preset { get; init; }

    /// <summary>Variables laid over the preset's (raw: literals or references).</summary>
    public required IReadOnlyDictionary<string, string> Overrides { get; init; }

    /// <summary>The <c>.aiswitch.yaml</c> file (a full path).</summary>
    public required string Path { get; init; }

    /// <summary><c>sha256:</c> and the hex digest of the content it was read from: what an allowance is for.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The overrides as they may be shown: references as written, secret-looking literals masked.</summary>
    public IReadOnlyDictionary<string, string> ShownOverrides
        => Overrides.ToDictionary(v => v.Key, v => PresetReference.Display(v.Key, v.Value), StringComparer.Ordinal);

    /// <summary>The nearest pin at or above <paramref name="startDirectory"/>, or null when there is none. A malformed one throws ProjectPinInvalid.</summary>
    public static ProjectPin? Find(string startDirectory)
    {
        for (var directory = new DirectoryInfo(System.IO.Path.GetFullPath(startDirectory)); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, FileName);
            if (AtomicFile.ReadOrNull(candidate) is { } bytes)
            {
                return Parse(bytes, candidate);
            }
        }

        return null;
    }

    internal static ProjectPin Parse(byte[] bytes, string path)
    {
        var root = YamlFile.LoadMapping(bytes, path, ErrorId.ProjectPinInvalid, What);
        string? preset = null;
        var overrides = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Children)
        {
            switch (YamlFile.Text(key))
            {
                case "preset":
                    preset = YamlFile.Text(value);
                    if (!PresetNames.IsValidName(preset))
                    {
                        throw YamlFile.Invalid(ErrorId.ProjectPinInvalid, What, path, value.Start,
                            $"'preset' must name a preset (letters, digits, '-', '_', '.'), not '{preset ?? "(empty)"}'");
                    }

                    break;
                case "overrides":
                    ReadOverrides(path, value, overrides);
                    break;
            }
        }

        if (preset is null)
        {
            throw YamlFile.Invalid(ErrorId.ProjectPinInvalid, What, path, root.Start, "it has no 'preset: NAME' line");
        }

        return new ProjectPin
        {
            Preset = preset,
            Overrides = overrides,
            Path = System.IO.Path.GetFullPath(path),
            Sha256 = "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant(),
        };
    }

    private static void ReadOverrides(string path, YamlNode node, SortedDictionary<string, string> overrides)
    {
        if (YamlFile.IsNull(node))
        {
            return;
        }

        if (node is not YamlMappingNode mapping)
        {
            throw YamlFile.Invalid(ErrorId.ProjectPinInvalid, What, path, node.Start, "'overrides' must be a mapping of NAME: value lines");
        }

        foreach (var (key, value) in mapping.Children)
        {
            var name = YamlFile.Text(key);
            if (!PresetNames.IsValidVariableName(name))
            {
                throw YamlFile.Invalid(ErrorId.ProjectPinInvalid, What, path, key.Start, $"'{name}' is not a valid environment variable name");
            }

            overrides[name!] = YamlFile.Text(value)
                ?? throw YamlFile.Invalid(ErrorId.ProjectPinInvalid, What, path, value.Start, $"the override for {name} must be text (write \"\" for an empty value)");
        }
    }
}
