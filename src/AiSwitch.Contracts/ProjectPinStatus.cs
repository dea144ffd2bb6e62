namespace AiSwitch;

/// <summary>
/// A project pin (<c>.aiswitch.yaml</c>) and whether its exact content may take effect (Grant-AiProjectPin,
/// <c>aiswitch pin allow</c>). A pin that is new or changed since it was allowed is not applied.
/// </summary>
public sealed class ProjectPinStatus
{
    /// <summary>The pin file's full path.</summary>
    public required string Path { get; init; }

    /// <summary>The preset it names.</summary>
    public required string Preset { get; init; }

    /// <summary>True when this exact content (by its SHA-256) is allowed for this path.</summary>
    public bool Allowed { get; init; }

    /// <summary>When this content was allowed; null when it is not.</summary>
    public DateTimeOffset? AllowedAt { get; init; }

    /// <summary><c>sha256:</c> and the hex digest of the file's content.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The variables it sets over the preset, as they may be shown: references as written, secrets masked.</summary>
    public VariableMap Overrides { get; init; } = VariableMap.Empty;
}
