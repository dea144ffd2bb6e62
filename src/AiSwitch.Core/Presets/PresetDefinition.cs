namespace AiSwitch.Core.Presets;

/// <summary>
/// A preset as stored, for Core's own use (applying it, rewriting it): the variables' raw text, literals
/// and references alike. Never shown to a user; <see cref="Preset"/> is the redacted view.
/// </summary>
internal sealed class PresetDefinition
{
    public required string Name { get; init; }

    public string Description { get; init; } = string.Empty;

    /// <summary>Variable name to raw value: a literal, or a reference (<c>env:NAME</c>, <c>file:PATH</c>, <c>secret:[VAULT/]NAME</c>).</summary>
    public required IReadOnlyDictionary<string, string> Variables { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The file the preset was read from (or is written to).</summary>
    public required string SourcePath { get; init; }

    /// <summary>Top-level fields this version does not know; kept so a rewrite does not drop them.</summary>
    internal IReadOnlyList<KeyValuePair<YamlDotNet.RepresentationModel.YamlNode, YamlDotNet.RepresentationModel.YamlNode>> UnknownFields { get; init; } = [];

    /// <summary>The redacted view users see: references as written, sensitive literals redacted.</summary>
    public Preset ToPreset() => new()
    {
        Name = Name,
        Description = Description,
        VariableCount = Variables.Count,
        Tags = [.. Tags],
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        Source = SourcePath,
        Variables = new SortedDictionary<string, string>(
            Variables.ToDictionary(v => v.Key, v => PresetReference.Display(v.Key, v.Value), StringComparer.Ordinal),
            StringComparer.Ordinal),
    };
}
