namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// What an agent's event stream said about one task, normalized: the parsers fill it from the agent's lines, and the
/// adapters add the process figures (exit code, duration, pid) to make an AgentRunResult.
/// </summary>
internal sealed class TurnOutcome
{
    /// <summary>Whether the agent's final event (Claude <c>result</c>, Codex <c>turn.completed</c>/<c>turn.failed</c>, Gemini <c>result</c>) arrived.</summary>
    public bool Completed { get; init; }

    public bool Success { get; init; }

    public string Text { get; init; } = "";

    /// <summary>The agent's own error text when it failed (never a secret: the agents print no keys).</summary>
    public string? Error { get; init; }

    /// <summary>The provider's HTTP status behind a failure, when the agent reports it (Claude's <c>api_error_status</c>).</summary>
    public int? HttpStatus { get; init; }

    /// <summary>The agent's own code for its failure (an HTTP status, Claude's result subtype), when it gives one.</summary>
    public string? AgentCode { get; init; }

    /// <summary>A rate limit, an overloaded provider or a failed connection: worth another try.</summary>
    public bool Retryable { get; init; }

    /// <summary>The agent's session or thread id, to continue the conversation.</summary>
    public string? SessionId { get; init; }

    public string? Model { get; init; }

    public TokenCounts Tokens { get; init; }

    /// <summary>The provider's ids of the model calls this task made (Claude's message ids), where the stream shows them.</summary>
    public IReadOnlyList<string> RequestIds { get; init; } = [];

    /// <summary>The agent's own cost estimate for this task, or null when it gives none.</summary>
    public decimal? CostUsd { get; init; }
}
