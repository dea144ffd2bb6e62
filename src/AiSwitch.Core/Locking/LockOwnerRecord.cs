using System.Text.Json.Serialization;

namespace AiSwitch.Core.Locking;

/// <summary>
/// <c>locks/NAME.owners/LOCKID.json</c>: who holds a lock. Written after the OS lock is taken and removed before
/// it is released, so a record whose lock is free, or whose process is gone, is stale.
/// </summary>
internal sealed record LockOwnerRecord
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string LockId { get; init; }

    public required string Name { get; init; }

    public required LockMode Mode { get; init; }

    public required int Pid { get; init; }

    /// <summary>The owner process's start time (see <see cref="ProcessIdentity"/>), which tells a reused pid apart.</summary>
    public string? ProcessStart { get; init; }

    public required string Host { get; init; }

    public string? User { get; init; }

    public string? SessionId { get; init; }

    public required DateTimeOffset AcquiredAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// The command <c>aiswitch lock run</c> started under the lock. It inherits the lock, so while it lives the lock is
    /// held even if the holder (<see cref="Pid"/>) was killed.
    /// </summary>
    public int? CommandPid { get; init; }

    /// <summary>The command's start time, as <see cref="ProcessStart"/> is the holder's.</summary>
    public string? CommandStart { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(LockOwnerRecord))]
internal sealed partial class LockJsonContext : JsonSerializerContext;
