using AiSwitch.Protocol;

namespace AiSwitch.Core.Metrics;

/// <summary>
/// Aggregates samples per agent, source and interval (Avg, Max, Min or Sum of each numeric field): what an agent reports
/// of itself and what the sampler reads of its process are different measurements, and are never averaged together.
/// </summary>
internal static class MetricsAggregation
{
    private static readonly (string Name, Func<AgentMetricsSample, double> Get)[] Fields =
    [
        ("cpu_percent", s => s.CpuPercent),
        ("memory_mb", s => s.MemoryMb),
        ("threads", s => s.Threads),
        ("disk_io_kb", s => s.DiskIoKb),
        ("network_io_kb", s => s.NetworkIoKb ?? 0),
        ("response_time_ms", s => s.ResponseTimeMs),
        ("first_token_ms", s => s.FirstTokenMs),
        ("error_count", s => s.ErrorCount),
        ("task_count", s => s.TaskCount),
        ("uptime_seconds", s => s.UptimeSeconds),
    ];

    public static IReadOnlyList<AgentMetricsSample> Aggregate(
        IReadOnlyList<AgentMetricsSample> samples, MetricAggregation aggregation, TimeSpan? interval, DateTimeOffset? origin)
    {
        var start = origin ?? (samples.Count > 0 ? samples[0].Timestamp : default);
        return [.. samples
            .GroupBy(s => (Agent: s.Agent.ToLowerInvariant(), s.Source, Bucket: interval is { } width ? (s.Timestamp - start).Ticks / width.Ticks : 0))
            .Select(g =>
            {
                var rows = g.ToList();
                var bucketStart = interval is { } width ? start + TimeSpan.FromTicks(g.Key.Bucket * width.Ticks) : rows[0].Timestamp;
                double Of(Func<AgentMetricsSample, double> get) => Apply(rows.Select(get), aggregation);
                return new AgentMetricsSample
                {
                    Agent = rows[0].Agent,
                    Timestamp = bucketStart,
                    Status = rows[^1].Status,
                    Pid = rows[^1].Pid,
                    CpuPercent = Of(s => s.CpuPercent),
                    MemoryMb = Of(s => s.MemoryMb),
                    Threads = Of(s => s.Threads),
                    DiskIoKb = Of(s => s.DiskIoKb),
                    // Not measured stays not measured: a row aggregates the values there are.
                    NetworkIoKb = rows.Any(s => s.NetworkIoKb is not null) ? Apply(rows.Where(s => s.NetworkIoKb is not null).Select(s => s.NetworkIoKb!.Value), aggregation) : null,
                    ResponseTimeMs = Of(s => s.ResponseTimeMs),
                    FirstTokenMs = Of(s => s.FirstTokenMs),
                    ErrorCount = (long)Math.Round(Of(s => s.ErrorCount)),
                    TaskCount = (long)Math.Round(Of(s => s.TaskCount)),
                    UptimeSeconds = Of(s => s.UptimeSeconds),
                    Samples = rows.Count,
                    Source = rows[0].Source,
                };
            })
            .OrderBy(s => s.Timestamp)
            .ThenBy(s => s.Agent, StringComparer.OrdinalIgnoreCase)
            .ThenBy(s => s.Source, StringComparer.Ordinal)];
    }

    /// <summary>metrics.query's <c>aggregated</c>: each requested field over all rows.</summary>
    public static Dictionary<string, double> Overall(IReadOnlyList<AgentMetricsSample> rows, MetricAggregation aggregation, IReadOnlyList<string>? fields)
        => Fields
            .Where(f => fields is not { Count: > 0 } || fields.Contains(f.Name, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(f => f.Name, f => Apply(rows.Select(f.Get), aggregation));

    private static double Apply(IEnumerable<double> values, MetricAggregation aggregation) => aggregation switch
    {
        MetricAggregation.Max => values.Max(),
        MetricAggregation.Min => values.Min(),
        MetricAggregation.Sum => values.Sum(),
        _ => values.Average(),
    };
}
