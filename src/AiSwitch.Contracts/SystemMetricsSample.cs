namespace AiSwitch;

/// <summary>
/// One sample of the host the agents run on, taken beside the per-agent samples: CPU use of all cores, memory, and the
/// load average (Unix). Stored one JSON line each in <c>state/metrics/system/YYYY-MM-DD.jsonl</c>.
/// </summary>
public sealed class SystemMetricsSample
{
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Busy share of all cores since the previous sample, 0-100; null for a first sample, or where the OS does not say.</summary>
    public double? CpuPercent { get; init; }

    /// <summary>Memory in use (total less what is available to start programs); null where the OS does not say.</summary>
    public double? MemoryUsedMb { get; init; }

    public double MemoryTotalMb { get; init; }

    /// <summary>The 1-, 5- and 15-minute load averages; null on Windows, which keeps none.</summary>
    public double? Load1 { get; init; }

    public double? Load5 { get; init; }

    public double? Load15 { get; init; }

    public int Processors { get; init; }

    public override string ToString() => $"{Timestamp:u}: CPU {CpuPercent?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}%";
}
