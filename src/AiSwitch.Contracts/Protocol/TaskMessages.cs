namespace AiSwitch.Protocol;

public sealed class AssignTaskParams
{
    public required AgentTask Task { get; init; }

    public CoordinationMode? CoordinationMode { get; init; }

    /// <summary>Ids of tasks that must complete first.</summary>
    public List<string>? Dependencies { get; init; }
}

public sealed class AssignTaskResult
{
    public required string TaskId { get; init; }

    public DateTimeOffset AssignedAt { get; set; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? EstimatedCompletion { get; init; }

    /// <summary>
    /// (ext) The task's result, without metadata, from an agent that answers task.assign once the task has finished (the
    /// AiSwitch SDK does): the coordinator then needs no task.result call. Absent from other agents; ask task.result.
    /// </summary>
    public AgentTaskResult? Result { get; init; }
}

public sealed class CancelTaskParams
{
    public required string TaskId { get; init; }

    public string? Reason { get; init; }
}

/// <summary><c>task.cancel</c> result (seed 003 names none; AiSwitch answers with the task's state after the cancel).</summary>
public sealed class CancelTaskResult
{
    public required string TaskId { get; init; }

    public required AgentTaskStatus Status { get; init; }

    public DateTimeOffset CancelledAt { get; set; } = DateTimeOffset.UtcNow;
}

public sealed class TaskStatusParams
{
    public required string TaskId { get; init; }
}

public sealed class TaskStatusResult
{
    public required AgentTask Task { get; init; }

    public required AgentTaskStatus Status { get; init; }

    /// <summary>0–100.</summary>
    public double? Progress { get; init; }

    public AgentTaskResult? Result { get; init; }

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary><c>task.result</c> params; the result is a <see cref="AgentTaskResult"/>.</summary>
public sealed class TaskResultParams
{
    public required string TaskId { get; init; }

    public bool? IncludeMetadata { get; init; }
}
