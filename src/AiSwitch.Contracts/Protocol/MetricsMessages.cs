using System.Text.Json;

namespace AiSwitch.Protocol;

public sealed class ReportMetricsParams
{
    public required AgentMetrics Metrics { get; init; }

    public Dictionary<string, JsonElement>? AdditionalData { get; init; }
}

public sealed class ReportMetricsResult
{
    public DateTimeOffset ReportedAt { get; set; } = DateTimeOffset.UtcNow;

    public bool Accepted { get; init; }
}

public sealed class QueryMetricsParams
{
    public string? AgentId { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Field names of <see cref="AgentMetrics"/> ("cpu_percent", "memory_mb"…).</summary>
    public List<string>? MetricTypes { get; init; }

    public MetricAggregation? Aggregation { get; init; }

    /// <summary>Sampling interval in seconds.</summary>
    public double? Interval { get; init; }
}

public sealed class QueryMetricsResult
{
    public List<AgentMetrics> Metrics { get; set; } = [];

    public Dictionary<string, double>? Aggregated { get; init; }

    public int TotalCount { get; init; }
}

public sealed class ReportTokenUsageParams
{
    public required string TaskId { get; init; }

    public required TokenUsage Usage { get; init; }
}

/// <summary><c>tokens.usage</c> result (seed 003 names none; AiSwitch answers like <c>metrics.report</c>).</summary>
public sealed class ReportTokenUsageResult
{
    public DateTimeOffset RecordedAt { get; set; } = DateTimeOffset.UtcNow;

    public bool Accepted { get; init; }
}

public sealed class TokenSummaryParams
{
    public string? AgentId { get; init; }

    public Timeframe? Timeframe { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }
}

public sealed class TokenSummaryResult
{
    public required TokenUsage TotalUsage { get; init; }

    public Dictionary<string, TokenUsage> UsageByModel { get; set; } = [];

    public Dictionary<string, TokenUsage> UsageByTaskType { get; set; } = [];

    /// <summary>Null when there was no usage in the window.</summary>
    public DateTimeOffset? PeakUsageTime { get; init; }

    /// <summary>US dollars by model (or by the grouping the coordinator chose).</summary>
    public Dictionary<string, decimal> CostBreakdown { get; set; } = [];
}
