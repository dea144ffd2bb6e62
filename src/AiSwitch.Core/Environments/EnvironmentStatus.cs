namespace AiSwitch.Core.Environments;

/// <summary>The preset currently applied to one target (<c>aiswitch current</c>). Names only.</summary>
public sealed class EnvironmentStatus
{
    /// <summary>The target: an agent name, or <c>session</c>.</summary>
    public required string Agent { get; init; }

    /// <summary>The current preset, or null when none has been applied.</summary>
    public string? Preset { get; init; }

    public required int VariableCount { get; init; }

    /// <summary>When the agent's environment was last switched; null for the session.</summary>
    public DateTimeOffset? SwitchedAt { get; init; }

    public required string[] VariableNames { get; init; }
}
