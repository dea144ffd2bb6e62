namespace AiSwitch;

/// <summary>
/// A preset as users see it (Get-AiPreset, aiswitch preset list/show). It never holds a resolved secret:
/// literal key-like values are redacted and references are shown as the reference text.
/// </summary>
public sealed class Preset
{
    public required string Name { get; init; }

    public string Description { get; init; } = string.Empty;

    public int VariableCount { get; init; }

    public IReadOnlyList<string> Tags { get; init => field = NameList.Of(value); } = NameList.Empty;

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The preset's file.</summary>
    public required string Source { get; init; }

    /// <summary>Variable name to display value, sorted by name: references as written, literals redacted where sensitive.</summary>
    public required IReadOnlyDictionary<string, string> Variables { get; init => field = VariableMap.Shown(value); }

    public override string ToString() => Name;
}
