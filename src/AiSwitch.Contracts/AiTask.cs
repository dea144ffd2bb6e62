namespace AiSwitch;

/// <summary>
/// One request (batch) as Start-AiTask, Get-AiTask and other sessions see it: state/tasks.json holds one per batch.
/// </summary>
public sealed class AiTask
{
    public required string TaskId { get; init; }

    public required TaskState Status { get; init; }

    /// <summary>0–100: the share of the batch's tasks that have finished.</summary>
    public int Progress { get; init; }

    public required string Agents { get; init; }

    public int Total { get; init; }

    public int Succeeded { get; init; }

    public int Failed { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public int OwnerPid { get; init; }

    public string? SessionId { get; init; }

    public string? Prompt { get; init; }

    public TaskMode Mode { get; init; }

    /// <summary>Why the task ended as it did when its results cannot say (the process that ran it died); null otherwise.</summary>
    public string? Reason { get; init; }

    public override string ToString() => $"{TaskId} {Status} {Progress}%";
}
