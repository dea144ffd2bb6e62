using System.Collections.ObjectModel;
using System.Globalization;

namespace AiSwitch;

/// <summary>
/// Get-AiTokenUsage -Summary: the window's totals, flat for Export-Csv, with the breakdowns by model and by task type as
/// detail (each also reads well as one CSV cell).
/// </summary>
public sealed class TokenSummary
{
    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    public long ReasoningTokens { get; init; }

    public long TotalTokens { get; init; }

    /// <summary>The sum of the known costs in US dollars; null when none of the requests had a cost.</summary>
    public decimal? CostUsd { get; init; }

    public long Requests { get; init; }

    public long UnpricedRequests { get; init; }

    /// <summary>The models of the unpriced requests, each once ("(none)" for requests without a model).</summary>
    public IReadOnlyList<string> UnpricedModels { get; init => field = NameList.Of(value); } = NameList.Empty;

    /// <summary>The start of the hour with the most tokens (in the caller's time zone); null with no usage.</summary>
    public DateTimeOffset? PeakUsageTime { get; init; }

    /// <summary>One row per model, most tokens first (Group is the model).</summary>
    public UsageBreakdown ByModel { get; init; } = UsageBreakdown.Empty;

    /// <summary>One row per task type, most tokens first (Group is the task type).</summary>
    public UsageBreakdown ByTaskType { get; init; } = UsageBreakdown.Empty;

    public override string ToString() => $"{TotalTokens} tokens, {Requests} requests";
}

/// <summary>Usage rows of a breakdown. As text (a CSV cell, a table column) it reads <c>group: tokens; …</c>.</summary>
public sealed class UsageBreakdown : ReadOnlyCollection<TokenUsageRow>
{
    public static new readonly UsageBreakdown Empty = new([]);

    public UsageBreakdown(IList<TokenUsageRow> rows)
        : base(rows)
    {
    }

    public override string ToString() => string.Join("; ", this.Select(r => $"{r.Group}: {r.TotalTokens.ToString(CultureInfo.InvariantCulture)}"));
}
