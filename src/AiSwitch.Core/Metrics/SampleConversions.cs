using AiSwitch.Protocol;

namespace AiSwitch.Core.Metrics;

/// <summary>A stored sample to and from seed 003 AgentMetrics (metrics.report, metrics.query).</summary>
internal static class SampleConversions
{
    public static AgentMetrics ToProtocol(this AgentMetricsSample sample) => new()
    {
        AgentId = sample.Agent, Timestamp = sample.Timestamp, Status = sample.Status, CpuPercent = sample.CpuPercent, MemoryMb = sample.MemoryMb,
        DiskIoKb = sample.DiskIoKb, NetworkIoKb = sample.NetworkIoKb ?? 0, ResponseTimeMs = sample.ResponseTimeMs, ErrorCount = sample.ErrorCount,
        TaskCount = sample.TaskCount, UptimeSeconds = sample.UptimeSeconds,
    };

    /// <summary>A reported AgentMetrics as a stored sample of <paramref name="agent"/> (by default the id it names).</summary>
    public static AgentMetricsSample ToSample(this AgentMetrics metrics, string? agent = null, int? pid = null, string source = MetricsSources.Agent) => new()
    {
        Agent = agent ?? metrics.AgentId, Pid = pid, Source = source, Timestamp = metrics.Timestamp, Status = metrics.Status, CpuPercent = metrics.CpuPercent, MemoryMb = metrics.MemoryMb,
        DiskIoKb = metrics.DiskIoKb, NetworkIoKb = metrics.NetworkIoKb, ResponseTimeMs = metrics.ResponseTimeMs, ErrorCount = metrics.ErrorCount,
        TaskCount = metrics.TaskCount, UptimeSeconds = metrics.UptimeSeconds,
    };
}
