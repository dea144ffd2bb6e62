namespace AiSwitch;

/// <summary>
/// One holder of a named lock, as Lock-AiResource returns it and Get-AiLock lists it (seed 003 §5:
/// lock_id, acquired_at, expires_at). Flat, so it exports to CSV and JSON as it is.
/// </summary>
public sealed class Lock
{
    public required string Name { get; init; }

    public required LockMode Mode { get; init; }

    public required int OwnerPid { get; init; }

    public required string OwnerHost { get; init; }

    public string? OwnerUser { get; init; }

    /// <summary>The AiSwitch session (PowerShell runspace or CLI process) that took the lock.</summary>
    public string? SessionId { get; init; }

    public required DateTimeOffset AcquiredAt { get; init; }

    /// <summary>When the holder said it would be done; null for no expiry. Past it, a live holder is reported as Expired.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public required LockState State { get; init; }

    /// <summary>Why the record is Stale or Expired; null while Held.</summary>
    public string? StateReason { get; init; }

    public required string LockId { get; init; }

    /// <summary>The lock file under the home's <c>locks/</c> folder.</summary>
    public required string Path { get; init; }

    public override string ToString() => $"{Name} ({Mode}, {State}, pid {OwnerPid})";
}
