namespace AiSwitch;

/// <summary>One line of the live monitor: an agent's latest sample, today's tokens and cost, and its quota state.</summary>
public sealed class MonitorRow
{
    public required string Agent { get; init; }

    public string Status { get; init; } = "-";

    /// <summary>How far the agent's running task says it is, in percent (a JSON-RPC agent's task.status); null when none reported.</summary>
    public double? Progress { get; init; }

    public double? CpuPercent { get; init; }

    public double? MemoryMb { get; init; }

    public long? TaskCount { get; init; }

    public long? ErrorCount { get; init; }

    public double? UptimeSeconds { get; init; }

    public long TokensToday { get; init; }

    public decimal? CostToday { get; init; }

    public string Quota { get; init; } = "-";

    /// <summary>How old the sample behind CpuPercent, MemoryMb, TaskCount, ErrorCount and UptimeSeconds is; null without one. Status is always live.</summary>
    public double? SampleAgeSeconds { get; init; }
}
