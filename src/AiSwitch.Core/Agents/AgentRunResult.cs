
namespace AiSwitch.Core.Agents;

/// <summary>One task's outcome on one agent, the same shape whatever the adapter.</summary>
internal sealed record AgentRunResult
{
    public string Text { get; init; } = string.Empty;

    public bool Success { get; init; }

    public string? Error { get; init; }

    public ErrorId? ErrorId { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>The agent's own code for its failure (an HTTP status, a result subtype), when it gives one.</summary>
    public string? AgentErrorCode { get; init; }

    /// <summary>The agent's own session/thread id, when it reports one.</summary>
    public string? AgentSessionId { get; init; }

    /// <summary>Settable: an adapter may learn the model only after the process ends (Codex's session log).</summary>
    public string? Model { get; set; }

    /// <summary>The provider's ids of the task's model calls, where the agent shows them (Claude's message ids).</summary>
    public IReadOnlyList<string> RequestIds { get; init; } = [];

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    /// <summary>All cache writes, 5-minute and 1-hour.</summary>
    public long CacheWriteTokens { get; init; }

    /// <summary>The part of <see cref="CacheWriteTokens"/> written to the 1-hour cache (priced higher than 5-minute writes).</summary>
    public long CacheWrite1hTokens { get; init; }

    public long ReasoningTokens { get; init; }

    public decimal? CostUsd { get; init; }

    public CostSource CostSource { get; init; }

    public TimeSpan Duration { get; init; }

    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>True for failures worth retrying: 429, overloaded, connection failures.</summary>
    public bool Retryable { get; init; }

    public int? Pid { get; init; }
}

/// <summary>
/// A task cancelled while its agent ran, carrying what the agent had reported by then (the usage the provider already
/// counted), so the cancelled task is recorded the same way a timed-out one is.
/// </summary>
internal sealed class RunCancelledException(AgentRunResult partial, CancellationToken token)
    : OperationCanceledException("The task was cancelled while its agent ran.", token)
{
    public AgentRunResult Partial { get; } = partial;
}
