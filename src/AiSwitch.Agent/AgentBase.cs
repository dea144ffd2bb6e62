using AiSwitch.Protocol;

namespace AiSwitch.Agent;

/// <summary>
/// What an agent author writes: subclass it, implement <see cref="ExecuteAsync"/>, and hand an instance to
/// <see cref="AgentHost.RunAsync(AgentBase, AgentHostOptions?, CancellationToken)"/>. The host does the protocol: the handshake,
/// task tracking and cancellation, environment switches and snapshots, heartbeats, metrics and token reports.
/// docs/agent-sdk.md shows a complete agent.
/// </summary>
public abstract class AgentBase
{
    /// <summary>The features announced in agent.initialize.</summary>
    public virtual IReadOnlyList<string> SupportedFeatures { get; } =
    [
        ProtocolFeatures.EnvSwitching, ProtocolFeatures.Snapshots, ProtocolFeatures.MetricsReporting, ProtocolFeatures.TokenReporting,
        ProtocolFeatures.Cancellation, ProtocolFeatures.Events, ProtocolFeatures.Heartbeat, ProtocolFeatures.Restart,
    ];

    /// <summary>
    /// Runs one task. Called concurrently for tasks in flight at the same time. <paramref name="cancellationToken"/> fires on
    /// task.cancel, $/cancelRequest for the task.assign call, the task's timeout, agent.restart and agent.shutdown.
    /// Return <see cref="TaskOutput.Failed"/> (or throw) for a task that failed; let <see cref="OperationCanceledException"/> out when cancelled.
    /// </summary>
    protected abstract Task<TaskOutput> ExecuteAsync(AgentTask task, TaskContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Called before env.switch or env.rollback makes <paramref name="next"/> the agent's environment, while no other switch
    /// runs. Throw to refuse: nothing changes and the call fails with -40202 (switch) or -40204 (rollback). Tasks already
    /// running keep the environment they started with whatever happens here.
    /// </summary>
    protected virtual ValueTask OnEnvironmentSwitchingAsync(EnvironmentView current, EnvironmentView next, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    /// <summary>Called for each event.publish the coordinator sends to this agent. Throwing fails the call.</summary>
    protected virtual ValueTask OnEventAsync(PublishEventParams published, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Called by agent.restart after running tasks were cancelled, before the answer; drop caches and state here.</summary>
    protected virtual ValueTask OnRestartAsync(bool preserveState, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    // The host's way in: the overridable members stay protected, so an agent's own code never calls them by mistake.
    internal Task<TaskOutput> RunTaskAsync(AgentTask task, TaskContext context, CancellationToken cancellationToken) =>
        ExecuteAsync(task, context, cancellationToken);

    internal ValueTask BeforeSwitchAsync(EnvironmentView current, EnvironmentView next, CancellationToken cancellationToken) =>
        OnEnvironmentSwitchingAsync(current, next, cancellationToken);

    internal ValueTask ReceiveEventAsync(PublishEventParams published, CancellationToken cancellationToken) => OnEventAsync(published, cancellationToken);

    internal ValueTask RestartAsync(bool preserveState, CancellationToken cancellationToken) => OnRestartAsync(preserveState, cancellationToken);
}
