using System.Text.Json;

namespace AiSwitch.Protocol;

public sealed class AcquireLockParams
{
    public required string LockName { get; init; }

    /// <summary>Seconds to wait for the lock.</summary>
    public double? Timeout { get; init; }

    public LockType? LockType { get; init; }
}

public sealed class AcquireLockResult
{
    public required string LockId { get; init; }

    public DateTimeOffset AcquiredAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset ExpiresAt { get; init; }
}

public sealed class ReleaseLockParams
{
    public required string LockId { get; init; }
}

/// <summary><c>coordination.unlock</c> result (seed 003 names none).</summary>
public sealed class ReleaseLockResult
{
    public required string LockId { get; init; }

    public DateTimeOffset ReleasedAt { get; set; } = DateTimeOffset.UtcNow;
}

public sealed class HeartbeatParams
{
    public required string AgentId { get; init; }

    public required AgentStatus Status { get; init; }

    public List<string>? CurrentTasks { get; init; }
}

public sealed class HeartbeatResult
{
    public DateTimeOffset AcknowledgedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset ServerTime { get; set; } = DateTimeOffset.UtcNow;

    public CoordinationStatus CoordinationStatus { get; set; } = CoordinationStatus.Active;
}

public sealed class SubscribeParams
{
    public required List<string> EventTypes { get; init; }

    public Dictionary<string, JsonElement>? Filter { get; init; }
}

/// <summary><c>event.subscribe</c> result (seed 003 names none; <c>event.unsubscribe</c> needs the id).</summary>
public sealed class SubscribeResult
{
    public required string SubscriptionId { get; init; }

    public List<string> EventTypes { get; set; } = [];
}

public sealed class UnsubscribeParams
{
    public required string SubscriptionId { get; init; }
}

/// <summary><c>event.unsubscribe</c> result (seed 003 names none).</summary>
public sealed class UnsubscribeResult
{
    public required string SubscriptionId { get; init; }

    public bool Removed { get; init; }
}

public sealed class PublishEventParams
{
    public required string EventType { get; init; }

    public required JsonElement Data { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public string? AgentId { get; init; }
}

/// <summary><c>event.publish</c> result (seed 003 names none). It may also be sent as a notification.</summary>
public sealed class PublishEventResult
{
    public bool Accepted { get; init; }

    /// <summary>How many subscriptions the event went to.</summary>
    public int Delivered { get; init; }
}
