using AiSwitch.Core.Home;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents;

/// <summary>
/// Everything an adapter needs to start an agent, prepared by the registry. <see cref="Environment"/> is the
/// COMPLETE child environment (parent allowlist + preset's resolved variables + the agent's extra variables +
/// the adapter's quiet settings); adapters add nothing from the parent process.
/// </summary>
internal sealed class AgentLaunch
{
    public required AgentDefinition Agent { get; init; }

    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required string WorkingDirectory { get; init; }

    public string? PresetName { get; init; }

    /// <summary>The agent's Model, or the preset's model variable.</summary>
    public string? Model { get; init; }

    /// <summary>For private config folders under tmp/ or state/.</summary>
    public required AiHome Home { get; init; }

    public required IProcessLauncher Supervisor { get; init; }

    /// <summary>
    /// The session's side of what an agent may ask the coordinator (metrics.query, tokens.summary, metrics.report,
    /// event.subscribe); null for a one-off run outside a session, where those calls are refused with the reason.
    /// </summary>
    public CoordinatorServices? Coordinator { get; init; }
}

/// <summary>What an adapter gets for one task: the launch (see <see cref="AgentLaunch"/>) and the task.</summary>
internal sealed class AgentInvocation
{
    public required AgentDefinition Agent { get; init; }

    public required AgentTask Task { get; init; }

    /// <summary>The complete child environment; see <see cref="AgentLaunch.Environment"/>.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required string WorkingDirectory { get; init; }

    public string? PresetName { get; init; }

    public string? Model { get; init; }

    public required AiHome Home { get; init; }

    public required IProcessLauncher Supervisor { get; init; }

    public static AgentInvocation Create(AgentLaunch launch, AgentTask task) => new()
    {
        Agent = launch.Agent,
        Task = task,
        Environment = launch.Environment,
        WorkingDirectory = launch.WorkingDirectory,
        PresetName = launch.PresetName,
        Model = launch.Model,
        Home = launch.Home,
        Supervisor = launch.Supervisor,
    };

    /// <summary>The launch this invocation was made from (the inverse of <see cref="Create"/>), for an adapter that starts an agent for one task.</summary>
    public AgentLaunch ToLaunch() => new()
    {
        Agent = Agent,
        Environment = Environment,
        WorkingDirectory = WorkingDirectory,
        PresetName = PresetName,
        Model = Model,
        Home = Home,
        Supervisor = Supervisor,
    };
}
