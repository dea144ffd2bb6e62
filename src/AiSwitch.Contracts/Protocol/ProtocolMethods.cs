namespace AiSwitch.Protocol;

/// <summary>The 22 method names of the AiSwitch agent protocol (seed 003), exactly as they go on the wire.</summary>
public static class ProtocolMethods
{
    // Coordinator → agent: lifecycle.
    public const string AgentInitialize = "agent.initialize";
    public const string AgentShutdown = "agent.shutdown";
    public const string AgentStatus = "agent.status";
    public const string AgentRestart = "agent.restart";

    // Coordinator → agent: tasks.
    public const string TaskAssign = "task.assign";
    public const string TaskCancel = "task.cancel";
    public const string TaskStatus = "task.status";
    public const string TaskResult = "task.result";

    // Coordinator → agent: environment.
    public const string EnvSwitch = "env.switch";
    public const string EnvSnapshot = "env.snapshot";
    public const string EnvRollback = "env.rollback";
    public const string EnvListSnapshots = "env.list_snapshots";

    // Agent → coordinator: metrics and tokens.
    public const string MetricsReport = "metrics.report";
    public const string MetricsQuery = "metrics.query";
    public const string TokensUsage = "tokens.usage";
    public const string TokensSummary = "tokens.summary";

    // Agent → coordinator: coordination.
    public const string CoordinationLock = "coordination.lock";
    public const string CoordinationUnlock = "coordination.unlock";
    public const string CoordinationHeartbeat = "coordination.heartbeat";

    // Either side: events.
    public const string EventSubscribe = "event.subscribe";
    public const string EventUnsubscribe = "event.unsubscribe";
    public const string EventPublish = "event.publish";

    /// <summary>All 22, in seed order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AgentInitialize, AgentShutdown, AgentStatus, AgentRestart,
        TaskAssign, TaskCancel, TaskStatus, TaskResult,
        EnvSwitch, EnvSnapshot, EnvRollback, EnvListSnapshots,
        MetricsReport, MetricsQuery, TokensUsage, TokensSummary,
        CoordinationLock, CoordinationUnlock, CoordinationHeartbeat,
        EventSubscribe, EventUnsubscribe, EventPublish,
    ];
}
