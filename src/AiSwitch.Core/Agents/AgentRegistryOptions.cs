using AiSwitch.Core.Agents.Adapters;

namespace AiSwitch.Core.Agents;

/// <summary>How a registry supervises its agents. The defaults are the product's; tests shorten the times.</summary>
internal sealed class AgentRegistryOptions
{
    public static AgentRegistryOptions Default { get; } = new();

    public AdapterCatalog Adapters { get; init; } = AdapterCatalog.Default;

    /// <summary>The first restart's delay; each further one doubles it, up to <see cref="MaxRestartBackoff"/>.</summary>
    public TimeSpan RestartBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRestartBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a long-lived agent's health probe runs.</summary>
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A long-lived agent that stayed up this long has its restart count cleared when it next dies.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Reads <c>secret:</c> references (the PowerShell front passes SecretManagement).</summary>
    public Func<string, string?>? SecretLookup { get; init; }

    /// <summary>Kill the orphans of dead sessions when the registry starts (see <see cref="ProcessSupervisor.SweepOrphans"/>).</summary>
    public bool SweepOrphans { get; init; } = true;

    public long LogMaxBytes { get; init; } = RotatingLog.DefaultMaxBytes;

    public int LogKeep { get; init; } = RotatingLog.DefaultKeep;

    /// <summary>How often the session's sampler records its running agents' metrics (<see cref="Metrics.MetricsSampler"/>); zero turns it off.</summary>
    public TimeSpan MetricsInterval { get; init; } = Metrics.MetricsSampler.DefaultInterval;
}
