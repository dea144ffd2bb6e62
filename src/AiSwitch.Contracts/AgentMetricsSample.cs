namespace AiSwitch;

/// <summary>
/// One sample of an agent's health and load: seed 003 AgentMetrics plus the process id and thread count. Stored one
/// JSON line each in <c>state/metrics/YYYY-MM-DD.jsonl</c>; a query with an aggregation returns one per agent and interval.
/// </summary>
public sealed class AgentMetricsSample
{
    public required string Agent { get; init; }

    /// <summary>When it was taken (UTC), or the start of the interval it aggregates.</summary>
    public DateTimeOffset Timestamp { get; init; }

    public AgentStatus Status { get; init; }

    public int? Pid { get; init; }

    public double CpuPercent { get; init; }

    public double MemoryMb { get; init; }

    public double Threads { get; init; }

    /// <summary>
    /// KB read from and written to storage by the agent's process tree since it started (Linux: /proc/PID/io
    /// read_bytes + write_bytes, reaped children included; Windows: the process's I/O transfer counts; macOS: its disk I/O).
    /// </summary>
    public double DiskIoKb { get; init; }

    /// <summary>
    /// Null: not measured. No OS keeps network bytes per process without privileges, so the coordinator's own samples
    /// leave it out; an agent that counts its own traffic gives it through metrics.report.
    /// </summary>
    public double? NetworkIoKb { get; init; }

    /// <summary>The mean time this session's tasks on the agent took, from handing the task over to its result.</summary>
    public double ResponseTimeMs { get; init; }

    /// <summary>
    /// The mean time from handing a task over to its first output (streamed text, or the agent's first progress or
    /// output event): time to first token. 0 until a task has produced output.
    /// </summary>
    public double FirstTokenMs { get; init; }

    public long ErrorCount { get; init; }

    public long TaskCount { get; init; }

    public double UptimeSeconds { get; init; }

    /// <summary>How many samples this row aggregates (1 for a raw sample).</summary>
    public int Samples { get; init; } = 1;

    /// <summary>
    /// Who measured it: <see cref="MetricsSources.Coordinator"/> (AiSwitch's sampler reading the process) or
    /// <see cref="MetricsSources.Agent"/> (the agent's own metrics.report). Aggregates never mix the two.
    /// </summary>
    public string Source
    {
        get => _source ?? MetricsSources.Coordinator;

        // A line stored before sources existed has none: the JSON reader then sets null, which reads as the sampler's.
        init => _source = value;
    }

    private readonly string? _source;
}

/// <summary>The values of <see cref="AgentMetricsSample.Source"/>.</summary>
public static class MetricsSources
{
    /// <summary>AiSwitch's sampler read the agent's process (samples written before sources existed are these too).</summary>
    public const string Coordinator = "coordinator";

    /// <summary>The agent reported it with metrics.report.</summary>
    public const string Agent = "agent";
}
