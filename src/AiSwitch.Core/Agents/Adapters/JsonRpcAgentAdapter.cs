
namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// The <c>jsonrpc</c> adapter: a long-lived agent process speaking the AiSwitch agent protocol (docs/protocol.md) over its
/// stdin and stdout. <see cref="StartAsync"/> launches it through the supervisor and completes the agent.initialize
/// handshake; the returned <see cref="JsonRpcAgent"/> runs tasks, switches environments and stops it.
/// </summary>
internal sealed class JsonRpcAgentAdapter : ILongLivedAgentAdapter
{
    public JsonRpcAgentAdapter(JsonRpcAgentOptions? options = null, TimeProvider? clock = null)
    {
        Options = options ?? new JsonRpcAgentOptions();
        Clock = clock ?? TimeProvider.System;
    }

    public JsonRpcAgentOptions Options { get; }

    internal TimeProvider Clock { get; }

    public string Name => AdapterNames.JsonRpc;

    public IReadOnlyDictionary<string, string> QuietSettings { get; } = new Dictionary<string, string>();

    public bool IsLongLived => true;

    /// <summary>None: a JSON-RPC agent is whatever program its definition names.</summary>
    public string? DefaultCommand => null;

    public async Task<ILongLivedAgent> StartAsync(AgentLaunch launch, CancellationToken cancellationToken) =>
        await StartAgentAsync(launch, cancellationToken).ConfigureAwait(false);

    /// <summary>Starts the agent and completes the handshake; AgentInitializationFailed (naming the agent and the fix) when it cannot.</summary>
    public Task<JsonRpcAgent> StartAgentAsync(AgentLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        return JsonRpcAgent.StartAsync(launch, Options, Clock, cancellationToken);
    }

    /// <summary>One task without a registry: starts the agent, runs the task, and stops the agent again.</summary>
    public async Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var launch = invocation.ToLaunch();
        await using var agent = await StartAgentAsync(launch, cancellationToken).ConfigureAwait(false);
        try
        {
            return await agent.RunAsync(invocation, observer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await agent.StopAsync(Options.ShutdownGrace, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public ValueTask<AgentReadiness> CheckAsync(AgentDefinition agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (string.IsNullOrWhiteSpace(agent.Command))
        {
            return ValueTask.FromResult(AgentReadiness.NotReady(new AiSwitchException(
                ErrorId.AgentInitializationFailed,
                $"Agent '{agent.Name}' (jsonrpc) names no command. Register it with the program that speaks the AiSwitch agent protocol: " +
                $"Register-AiAgent -Name {agent.Name} -Adapter jsonrpc -Command PATH.",
                agent.Name)));
        }

        var path = AgentCommands.Find(agent.Command, System.Environment.GetEnvironmentVariable("PATH"));
        return ValueTask.FromResult(path is null
            ? AgentReadiness.NotReady(new AiSwitchException(
                File.Exists(agent.Command) ? ErrorId.AgentInitializationFailed : ErrorId.AgentCommandNotFound,
                $"Agent '{agent.Name}' (jsonrpc): command '{agent.Command}' was not found or is not executable. " +
                $"Install it, make it executable, or give its full path with Register-AiAgent -Name {agent.Name} -Command PATH.",
                agent.Name))
            : AgentReadiness.Ready(path));
    }
}

/// <summary>How the jsonrpc adapter supervises its agents.</summary>
internal sealed record JsonRpcAgentOptions
{
    /// <summary>How long an agent has from launch to answering agent.initialize.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>With no coordination.heartbeat (or other call) for this long, the agent's health probe fails.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the health probe waits for agent.status: an agent that misses it is stuck even while its heartbeats come.
    /// Below the registry's HealthInterval (5 s), so the probe's own reason is the one reported.
    /// </summary>
    public TimeSpan StatusTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a running task's task.status is asked for its progress (for Write-Progress); zero turns it off.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long agent.shutdown may take before the process tree is killed.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Added to a task's own timeout before the coordinator gives up waiting for task.assign's answer.</summary>
    public TimeSpan TaskAnswerGrace { get; init; } = TimeSpan.FromSeconds(10);
}
