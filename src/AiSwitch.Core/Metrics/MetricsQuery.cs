using AiSwitch.Protocol;

namespace AiSwitch.Core.Metrics;

/// <summary>Get-AiAgentMetrics / metrics.query: filters, a window, and optionally an aggregation per interval.</summary>
public sealed class MetricsQuery
{
    public IReadOnlyList<string>? Agent { get; init; }

    public DateTimeOffset? Start { get; init; }

    public DateTimeOffset? End { get; init; }

    /// <summary>Null: raw samples (unless an interval is given, which averages).</summary>
    public MetricAggregation? Aggregation { get; init; }

    /// <summary>Bucket width; null with an aggregation means one bucket over the whole window.</summary>
    public TimeSpan? Interval { get; init; }
}
