namespace AiSwitch.Agent;

/// <summary>How <see cref="AgentHost"/> runs an agent. The coordinator's agent.initialize may replace <see cref="AgentId"/>.</summary>
public sealed record AgentHostOptions
{
    public string AgentId { get; init; } = "agent";

    /// <summary>The interval of coordination.heartbeat; zero or less turns heartbeats off.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The interval of metrics.report (and of the samples metrics.query reads); zero or less turns reports off.</summary>
    public TimeSpan MetricsInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long agent.shutdown waits for running tasks before cancelling them, when the call names no timeout.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a call to the coordinator (heartbeat, reports, locks) may take before it is given up.</summary>
    public TimeSpan CoordinatorCallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The environment map before the first env.switch (empty by default). It holds what the coordinator manages; a task
    /// that starts a process gives it the process's own environment with these variables laid over it.
    /// </summary>
    public EnvironmentView InitialEnvironment { get; init; } = EnvironmentView.Empty;

    /// <summary>Where the agent logs. stdout carries the protocol, so the default is stderr.</summary>
    public TextWriter Log { get; init; } = Console.Error;
}
