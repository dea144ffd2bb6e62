namespace AiSwitch;

/// <summary>
/// What a switch did (seed 003 SwitchEnvResult): the target, the preset before and after, the snapshot taken
/// first, and the names of the variables set and removed. Names only: no value is ever carried here.
/// </summary>
public sealed class SwitchResult
{
    /// <summary>The target: an agent name, or <c>session</c>.</summary>
    public required string Agent { get; init; }

    public string? PreviousPreset { get; init; }

    public required string CurrentPreset { get; init; }

    /// <summary>The snapshot taken before the switch (restore it with Restore-AiEnvironment), or null with -NoSnapshot.</summary>
    public string? SnapshotId { get; init; }

    public required DateTimeOffset SwitchedAt { get; init; }

    public required IReadOnlyList<string> VariablesSet { get; init => field = NameList.Of(value); }

    /// <summary>Variables the previous preset had set and the new one does not.</summary>
    public required IReadOnlyList<string> VariablesRemoved { get; init => field = NameList.Of(value); }
}
