namespace AiSwitch.Core.Usage;

/// <summary>
/// One line of the token ledger (<c>state/tokens/YYYY-MM-DD.jsonl</c>): the usage of one task result, one direct
/// HTTP call or one imported model call. <see cref="InputTokens"/> counts all input, cached or not;
/// <see cref="CacheReadTokens"/> and <see cref="CacheWriteTokens"/> are the parts of it served from or written to
/// the provider's prompt cache. <see cref="ReasoningTokens"/> is the part of <see cref="OutputTokens"/> spent on
/// hidden reasoning.
/// </summary>
internal sealed class LedgerRecord
{
    /// <summary>When the usage happened (stored in UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    public required string Agent { get; init; }

    public string? TaskId { get; init; }

    /// <summary>The adapter that produced it: claude-code, codex, gemini, jsonrpc, anthropic, openai.</summary>
    public string? Adapter { get; init; }

    public string? Preset { get; init; }

    public string? Model { get; init; }

    /// <summary>What kind of work it was (parallel, chain, http, import…); the summary groups by it.</summary>
    public string? TaskType { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    /// <summary>All cache writes, 5-minute and 1-hour.</summary>
    public long CacheWriteTokens { get; init; }

    /// <summary>The part of <see cref="CacheWriteTokens"/> written to the 1-hour cache.</summary>
    public long CacheWrite1hTokens { get; init; }

    public long ReasoningTokens { get; init; }

    public long TotalTokens => Tokens.Sum(InputTokens, OutputTokens);

    /// <summary>US dollars; null when unknown (never a silent 0).</summary>
    public decimal? CostUsd { get; init; }

    public CostSource CostSource { get; init; }

    /// <summary>The agent's own session (thread) id.</summary>
    public string? SessionId { get; init; }

    /// <summary>The provider's request or message id, when known.</summary>
    public string? RequestId { get; init; }

    /// <summary>The model (API) calls this record covers: a task's tool loop makes several; 1 when not known.</summary>
    public int Requests { get; init; } = 1;

    /// <summary>"timeout" or "cancelled" for a task stopped before its end (its usage until then); null for one that ended.</summary>
    public string? Status { get; init; }

    /// <summary>The import that wrote it (<c>import_batch</c>), so an interrupted import can be taken out again whole.</summary>
    public string? ImportBatch { get; init; }

    /// <summary>
    /// A record from seed 003 TokenUsage (a TaskResult's <c>tokens_used</c>, a <c>tokens.usage</c> report). A cost in it
    /// is the agent's own; without one the ledger prices it.
    /// </summary>
    public static LedgerRecord FromTokenUsage(string agent, Protocol.TokenUsage usage, DateTimeOffset time, string? taskId = null) => new()
    {
        Time = time,
        Agent = agent,
        TaskId = taskId,
        Model = usage.Model,
        InputTokens = usage.InputTokens,
        OutputTokens = usage.OutputTokens,
        CacheReadTokens = usage.CacheReadTokens ?? 0,
        CacheWriteTokens = usage.CacheWriteTokens ?? 0,
        ReasoningTokens = usage.ReasoningTokens ?? 0,
        CostUsd = usage.CostUsd,
        CostSource = usage.CostUsd is null ? CostSource.None : CostSource.Agent,
    };

    /// <summary>
    /// Why these counts cannot be a real report (a negative count, or more than <see cref="Tokens.MaxPerRecord"/> in one
    /// record), naming the agent and the value; null when they are plausible.
    /// </summary>
    public string? Implausible()
    {
        foreach (var (field, value) in (ReadOnlySpan<(string, long)>)[("input", InputTokens), ("output", OutputTokens), ("cache read", CacheReadTokens), ("cache write", CacheWriteTokens), ("1-hour cache write", CacheWrite1hTokens), ("reasoning", ReasoningTokens)])
        {
            if (value is < 0 or > Tokens.MaxPerRecord)
            {
                return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"agent '{Agent}' reported {value} {field} tokens for one {(TaskId is null ? "call" : $"attempt of task '{TaskId}'")}, which no model call uses (a count is 0 to {Tokens.MaxPerRecord:N0})");
            }
        }

        return null;
    }

    public LedgerRecord With(decimal? costUsd, CostSource source) => new()
    {
        Time = Time, Agent = Agent, TaskId = TaskId, Adapter = Adapter, Preset = Preset, Model = Model, TaskType = TaskType,
        InputTokens = InputTokens, OutputTokens = OutputTokens, CacheReadTokens = CacheReadTokens,
        CacheWriteTokens = CacheWriteTokens, CacheWrite1hTokens = CacheWrite1hTokens, ReasoningTokens = ReasoningTokens,
        CostUsd = costUsd, CostSource = source, SessionId = SessionId, RequestId = RequestId, Status = Status, Requests = Requests, ImportBatch = ImportBatch,
    };
}
