namespace AiSwitch.Protocol;

/// <summary><c>env.switch</c> params. Override variables may hold secrets: never log them.</summary>
public sealed class SwitchEnvParams
{
    public required string Preset { get; init; }

    public Dictionary<string, string>? Variables { get; init; }

    public bool? CreateSnapshot { get; init; }
}

public sealed class SwitchEnvResult
{
    /// <summary>Null when no preset was active before.</summary>
    public string? PreviousPreset { get; init; }

    public required string CurrentPreset { get; init; }

    public string? SnapshotId { get; init; }

    public DateTimeOffset SwitchedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary><c>env.snapshot</c> params; the result is an <see cref="AgentEnvSnapshot"/>.</summary>
public sealed class CreateSnapshotParams
{
    public string? SnapshotId { get; init; }

    public string? Description { get; init; }
}

public sealed class RollbackParams
{
    public required string SnapshotId { get; init; }

    public bool? Force { get; init; }
}

public sealed class AgentRollbackResult
{
    public required AgentEnvSnapshot Snapshot { get; init; }

    public DateTimeOffset RolledBackAt { get; set; } = DateTimeOffset.UtcNow;
}

public sealed class ListSnapshotsResult
{
    public List<AgentEnvSnapshot> Snapshots { get; set; } = [];

    public int TotalCount { get; init; }
}
