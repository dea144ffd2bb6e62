namespace AiSwitch.Protocol;

/// <summary>
/// <c>agent.initialize</c> params: the coordinator names the agent and offers its protocol version and features.
/// </summary>
public sealed class InitializeParams
{
    public required string AgentId { get; init; }

    /// <summary>The newest version the sender speaks ("1.0.0").</summary>
    public required string ProtocolVersion { get; init; }

    public List<string> SupportedFeatures { get; set; } = [];

    /// <summary>Every version the sender speaks, when more than one (extension); absent means only <see cref="ProtocolVersion"/>.</summary>
    public List<string>? SupportedVersions { get; init; }
}

/// <summary><c>agent.initialize</c> result: the version both sides will speak and the agent's features.</summary>
public sealed class InitializeResult
{
    public required string AgentId { get; init; }

    /// <summary>The negotiated version (see <see cref="Protocol.ProtocolVersion.Negotiate"/>).</summary>
    public required string ProtocolVersion { get; init; }

    public List<string> SupportedFeatures { get; set; } = [];

    public AgentStatus Status { get; set; } = AgentStatus.Idle;

    /// <summary>The agent program's own name and version, for logs (extension).</summary>
    public string? AgentInfo { get; init; }
}

/// <summary>The feature names of <c>supported_features</c>.</summary>
public static class ProtocolFeatures
{
    public const string EnvSwitching = "env_switching";
    public const string MetricsReporting = "metrics_reporting";
    public const string TokenReporting = "token_reporting";
    public const string Snapshots = "snapshots";
    public const string Cancellation = "cancellation";
    public const string Events = "events";
    public const string Heartbeat = "heartbeat";

    /// <summary>The agent serves agent.restart (restarts in place); the coordinator then uses it instead of a new process.</summary>
    public const string Restart = "restart";
}

public sealed class ShutdownParams
{
    public bool? Force { get; init; }

    /// <summary>Seconds to finish running work before stopping.</summary>
    public double? Timeout { get; init; }
}

public sealed class ShutdownResult
{
    public required AgentStatus Status { get; init; }

    public DateTimeOffset ShutdownAt { get; set; } = DateTimeOffset.UtcNow;

    public required AgentMetrics FinalMetrics { get; init; }
}

public sealed class RestartParams
{
    public bool? PreserveState { get; init; }

    /// <summary>Seconds.</summary>
    public double? Timeout { get; init; }
}

/// <summary><c>agent.restart</c> result (seed 003 names none; AiSwitch answers with the new state).</summary>
public sealed class RestartResult
{
    public required AgentStatus Status { get; init; }

    public DateTimeOffset RestartedAt { get; set; } = DateTimeOffset.UtcNow;
}

public sealed class StatusResult
{
    public required string AgentId { get; init; }

    public required AgentStatus Status { get; init; }

    public string? CurrentTask { get; init; }

    public required AgentMetrics Metrics { get; init; }

    public DateTimeOffset LastHeartbeat { get; set; } = DateTimeOffset.UtcNow;
}
