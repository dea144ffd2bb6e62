namespace AiSwitch;

/// <summary>
/// A saved environment of one target (seed 003 EnvSnapshot), as shown to users: values are redacted.
/// The stored file may hold real values (0600); this object never does.
/// </summary>
public sealed class EnvSnapshot
{
    public required string SnapshotId { get; init; }

    /// <summary>The target: an agent name, or <c>session</c>.</summary>
    public required string Agent { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The preset in effect when the snapshot was taken, or null when none was.</summary>
    public string? PresetName { get; init; }

    public string? Description { get; init; }

    public required int VariableCount { get; init; }

    /// <summary><c>sha256:</c> and the hex digest of the snapshot's canonical form.</summary>
    public required string Checksum { get; init; }

    /// <summary>False when the stored content no longer matches its checksum (edited or damaged).</summary>
    public required bool ChecksumValid { get; init; }

    /// <summary>Name → redacted value; a variable the target did not have is shown as <c>(unset)</c>.</summary>
    public required IReadOnlyDictionary<string, string> Variables { get; init => field = VariableMap.Shown(value); }

    public override string ToString() => SnapshotId;
}
