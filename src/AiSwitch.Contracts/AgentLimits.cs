using System.Globalization;

namespace AiSwitch;

/// <summary>
/// An agent's resource limits (agents.yaml <c>limits:</c>): memory for its whole process tree, a CPU share, a CPU-time
/// cap. Null fields are unlimited. How each is enforced depends on the OS; docs/agents.md says which mechanism.
/// </summary>
public sealed class AgentLimits
{
    /// <summary>Bytes of memory (agents.yaml <c>memory: 512MB</c>; K, M and G are 1024-based).</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>A share of CPU, in percent of one core (<c>cpu: 50%</c>; 200% is two cores).</summary>
    public double? CpuPercent { get; init; }

    /// <summary>CPU time the agent's process may use in all (<c>cpu_time: 10m</c>).</summary>
    public TimeSpan? CpuTime { get; init; }

    public bool IsEmpty => MemoryBytes is null && CpuPercent is null && CpuTime is null;

    public override string ToString()
    {
        var parts = new List<string>(3);
        if (MemoryBytes is { } bytes)
        {
            parts.Add("memory " + FormatMemory(bytes));
        }

        if (CpuPercent is { } percent)
        {
            parts.Add("cpu " + percent.ToString("0.##", CultureInfo.InvariantCulture) + "%");
        }

        if (CpuTime is { } time)
        {
            parts.Add("cpu_time " + time.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture) + "s");
        }

        return string.Join(", ", parts);
    }

    /// <summary>512MB, 1GB, 64KB: the largest 1024-based unit that divides the value, as agents.yaml writes it.</summary>
    public static string FormatMemory(long bytes) => bytes switch
    {
        _ when bytes % (1L << 30) == 0 => (bytes >> 30).ToString(CultureInfo.InvariantCulture) + "GB",
        _ when bytes % (1L << 20) == 0 => (bytes >> 20).ToString(CultureInfo.InvariantCulture) + "MB",
        _ when bytes % (1L << 10) == 0 => (bytes >> 10).ToString(CultureInfo.InvariantCulture) + "KB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + "B",
    };
}
