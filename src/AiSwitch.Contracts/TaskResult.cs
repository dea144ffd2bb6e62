namespace AiSwitch;

/// <summary>
/// One task's outcome on one agent. Flat (scalars first) so Export-Csv and ConvertTo-Json need no Select-Object;
/// the detail properties (diff, prompt…) come last.
/// </summary>
public sealed class TaskResult
{
    public required string TaskId { get; init; }

    public required string Agent { get; init; }

    public string? Preset { get; init; }

    public string? Model { get; init; }

    public required TaskState Status { get; init; }

    public bool Success => Status == TaskState.Completed;

    public string Output { get; init; } = string.Empty;

    public string? Error { get; init; }

    /// <summary>The error id's name (e.g. TaskTimeout), so CSV and JSON carry the stable id.</summary>
    public string? ErrorId { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    public long ReasoningTokens { get; init; }

    public decimal? CostUsd { get; init; }

    public CostSource CostSource { get; init; }

    public long DurationMs { get; init; }

    public long? TimeToFirstTokenMs { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>1 for the first try; counts every attempt across retries and fallback agents.</summary>
    public int Attempt { get; init; }

    public int Priority { get; init; } = 5;

    public int? ExitCode { get; init; }

    public string? AgentSessionId { get; init; }

    /// <summary>Isolated mode: the files the agent changed, relative to its working directory's repository root.</summary>
    public string? ChangedFiles { get; init; }

    /// <summary>Isolated mode: the agent's changes as a unified diff.</summary>
    public string? Diff { get; init; }

    public string? WorkingDirectory { get; init; }

    public string? Prompt { get; init; }

    /// <summary>The request (batch) this result belongs to; Get-AiTask lists batches by this id.</summary>
    public string? BatchId { get; init; }

    /// <summary>The agent's own code for its failure, when it gives one (the provider's HTTP status, Claude's result subtype).</summary>
    public string? AgentErrorCode { get; init; }

    public override string ToString() => $"{TaskId} on {Agent}: {Status}";
}
