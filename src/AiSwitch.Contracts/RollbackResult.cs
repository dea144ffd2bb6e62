namespace AiSwitch;

/// <summary>What a restore did (seed 003 RollbackResult): the snapshot put back and when. Names only.</summary>
public sealed class RollbackResult
{
    public required string SnapshotId { get; init; }

    /// <summary>The target: an agent name, or <c>session</c>.</summary>
    public required string Agent { get; init; }

    public string? PreviousPreset { get; init; }

    /// <summary>The preset in effect again, from the snapshot (null when none was).</summary>
    public string? PresetName { get; init; }

    public required DateTimeOffset RolledBackAt { get; init; }

    /// <summary>False when the checksum did not match and -Force restored it anyway.</summary>
    public required bool ChecksumVerified { get; init; }

    public required IReadOnlyList<string> VariablesRestored { get; init => field = NameList.Of(value); }

    public required IReadOnlyList<string> VariablesRemoved { get; init => field = NameList.Of(value); }

    public required EnvSnapshot Snapshot { get; init; }
}
