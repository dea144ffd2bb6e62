
namespace AiSwitch.Core.Agents;

/// <summary>One task's outcome on one agent, the same shape whatever the adapter.</summary>
internal sealed class AgentRunResult
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

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    public long ReasoningTokens { get; init; }

    public decimal? CostUsd { get; init; }

    public CostSource CostSource { get; init; }

    public TimeSpan Duration { get; init; }

    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>True for failures worth retrying: 429, overloaded, connection failures.</summary>
    public bool Retryable { get; init; }

    public int? Pid { get; init; }
}
