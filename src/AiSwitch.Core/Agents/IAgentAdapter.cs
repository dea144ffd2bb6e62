using System.Globalization;

namespace AiSwitch.Core.Agents;

/// <summary>
/// Turns a task into one agent's protocol and its output into one normalized <see cref="AgentRunResult"/>.
/// One instance serves every agent that names it, so it holds no per-agent state.
/// </summary>
internal interface IAgentAdapter
{
    /// <summary>The name definitions use (see <see cref="AdapterNames"/>).</summary>
    string Name { get; }

    /// <summary>Variables that keep the agent quiet and non-interactive (no telemetry, no update checks…).</summary>
    IReadOnlyDictionary<string, string> QuietSettings { get; }

    /// <summary>True when the agent runs as one process across tasks (see <see cref="ILongLivedAgentAdapter"/>).</summary>
    bool IsLongLived { get; }

    /// <summary>The command used when a definition names none (e.g. "claude"); null for in-process adapters.</summary>
    string? DefaultCommand { get; }

    /// <summary>
    /// Runs one task. Must honour <paramref name="cancellationToken"/> within 1 s by killing the whole process tree
    /// through <see cref="AgentInvocation.Supervisor"/>.
    /// </summary>
    Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken);

    /// <summary>
    /// Is the agent usable (command present and executable, SDK configured)? A failure is a not-ready result whose
    /// <see cref="AgentReadiness.Error"/> is an AgentInitializationFailed naming the agent and the fix.
    /// </summary>
    ValueTask<AgentReadiness> CheckAsync(AgentDefinition agent, CancellationToken cancellationToken);

    /// <summary>
    /// Is the launch the agent would get now usable (the environment built from its preset, in the order of precedence)?
    /// Checked when the agent starts, after <see cref="CheckAsync"/>; most adapters need nothing more than the definition.
    /// </summary>
    AgentReadiness CheckLaunch(AgentLaunch launch) => AgentReadiness.Ready();
}

/// <summary>An adapter whose agent runs as one long-lived process (or connection) across tasks.</summary>
internal interface ILongLivedAgentAdapter : IAgentAdapter
{
    /// <summary>Starts the agent and returns once it is ready for tasks.</summary>
    Task<ILongLivedAgent> StartAsync(AgentLaunch launch, CancellationToken cancellationToken);
}

/// <summary>One running long-lived agent, supervised by the registry.</summary>
internal interface ILongLivedAgent : IAsyncDisposable
{
    int? Pid { get; }

    /// <summary>Completes when the agent has gone (process exit or closed connection), with the reason.</summary>
    Task<AgentExit> Exited { get; }

    /// <summary>When the agent last proved it was alive (a heartbeat or any message); null when it reports none.</summary>
    DateTimeOffset? LastHeartbeat { get; }

    /// <summary>
    /// A health probe; the registry calls it every HealthInterval and restarts an agent that fails it (or does not
    /// answer within the interval). Agents that send heartbeats answer with <see cref="AgentHealth.FromHeartbeat"/>.
    /// </summary>
    ValueTask<AgentHealth> ProbeAsync(CancellationToken cancellationToken);

    Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken);

    /// <summary>
    /// Switches the live agent to a new environment (JSON-RPC: env.switch; a CLI process: restart after its running
    /// task). Throws when the switch failed; the registry then keeps the previous launch.
    /// </summary>
    Task SwitchEnvironmentAsync(AgentLaunch newLaunch, CancellationToken cancellationToken);

    /// <summary>
    /// Restarts the agent in its own process with <paramref name="launch"/> (JSON-RPC: agent.restart, when the agent has
    /// the restart feature). False when it cannot: the registry then restarts the process.
    /// </summary>
    Task<bool> RestartInPlaceAsync(AgentLaunch launch, TimeSpan timeout, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>Asks the agent to stop, waits up to <paramref name="timeout"/>, then kills its process tree.</summary>
    Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>Why a long-lived agent went away.</summary>
internal sealed class AgentExit
{
    public int? ExitCode { get; init; }

    public required string Reason { get; init; }

    /// <summary>True when the agent was asked to stop (no restart follows).</summary>
    public bool Requested { get; init; }
}

/// <summary>The answer of a health probe.</summary>
internal sealed class AgentHealth
{
    public static AgentHealth Healthy { get; } = new() { IsHealthy = true };

    public bool IsHealthy { get; init; }

    public string? Reason { get; init; }

    public static AgentHealth Unhealthy(string reason) => new() { IsHealthy = false, Reason = reason };

    /// <summary>
    /// Heartbeat-based health for a long-lived agent that reports heartbeats (a JSON-RPC agent): unhealthy when none
    /// came within <paramref name="timeout"/> of <paramref name="now"/> (counting from <paramref name="since"/>, its start,
    /// while it has sent none yet).
    /// </summary>
    public static AgentHealth FromHeartbeat(DateTimeOffset? last, DateTimeOffset since, DateTimeOffset now, TimeSpan timeout)
    {
        var silent = now - (last ?? since);
        return silent <= timeout
            ? Healthy
            : Unhealthy(last is null
                ? string.Create(CultureInfo.InvariantCulture, $"no heartbeat in the {silent.TotalSeconds:0.#} s since it started (limit {timeout.TotalSeconds:0.#} s)")
                : string.Create(CultureInfo.InvariantCulture, $"no heartbeat for {silent.TotalSeconds:0.#} s (limit {timeout.TotalSeconds:0.#} s)"));
    }
}

/// <summary>The result of <see cref="IAgentAdapter.CheckAsync"/>.</summary>
internal sealed class AgentReadiness
{
    public bool IsReady => Error is null;

    /// <summary>The command that will run (full path), when the adapter runs one.</summary>
    public string? CommandPath { get; init; }

    public string? Version { get; init; }

    /// <summary>Why the agent is not ready: an AgentInitializationFailed naming the agent and the fix.</summary>
    public AiSwitchException? Error { get; init; }

    public static AgentReadiness Ready(string? commandPath = null, string? version = null) =>
        new() { CommandPath = commandPath, Version = version };

    public static AgentReadiness NotReady(AiSwitchException error) => new() { Error = error };

    public void ThrowIfNotReady()
    {
        if (Error is not null)
        {
            throw Error;
        }
    }
}
