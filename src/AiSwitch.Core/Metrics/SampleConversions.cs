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

    public static AgentMetricsSample ToSample(this AgentMetrics metrics) => new()
    {
        Agent = metrics.AgentId, Timestamp = metrics.Timestamp, Status = metrics.Status, CpuPercent = metrics.CpuPercent, MemoryMb = metrics.MemoryMb,
        DiskIoKb = metrics.DiskIoKb, NetworkIoKb = metrics.NetworkIoKb, ResponseTimeMs = metrics.ResponseTimeMs, ErrorCount = metrics.ErrorCount,
        TaskCount = metrics.TaskCount, UptimeSeconds = metrics.UptimeSeconds,
    };
}
