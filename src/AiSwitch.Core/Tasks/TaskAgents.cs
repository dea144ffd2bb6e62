using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Home;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Tasks;

/// <summary>Where a task's agent works and under which preset.</summary>
internal sealed record TaskRunPlace(string WorkingDirectory, string? Preset);

/// <summary>The agents the task engine can use, and how one task runs on one of them.</summary>
internal interface ITaskAgents
{
    IReadOnlyList<AgentDefinition> Definitions { get; }

    Task<AgentRunResult> RunAsync(AgentDefinition agent, AgentTask task, TaskRunPlace place, IAgentRunObserver observer, CancellationToken cancellationToken);
}

/// <summary>
/// Runs tasks through the adapters of an <see cref="AdapterCatalog"/>: one <see cref="AgentInvocation"/> per attempt,
/// with the child environment from <paramref name="environment"/> and processes started by <paramref name="supervisor"/>.
/// </summary>
internal sealed class AdapterTaskAgents(
    IReadOnlyList<AgentDefinition> definitions,
    AdapterCatalog adapters,
    AiHome home,
    IProcessLauncher supervisor,
    Func<AgentDefinition, IAgentAdapter, TaskRunPlace, IReadOnlyDictionary<string, string>> environment) : ITaskAgents
{
    public IReadOnlyList<AgentDefinition> Definitions => definitions;

    public Task<AgentRunResult> RunAsync(AgentDefinition agent, AgentTask task, TaskRunPlace place, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        var adapter = adapters.Find(agent.Adapter) ?? throw new AiSwitchException(ErrorId.AgentInitializationFailed,
            $"Agent '{agent.Name}' names adapter '{agent.Adapter}', which this build does not have. Known adapters: {string.Join(", ", adapters.KnownNames)}.",
            agent.Name);
        var invocation = new AgentInvocation
        {
            Agent = agent,
            Task = task,
            Environment = environment(agent, adapter, place),
            WorkingDirectory = place.WorkingDirectory,
            PresetName = place.Preset ?? agent.Preset,
            Model = agent.Model,
            Home = home,
            Supervisor = supervisor,
        };
        observer.OnPrepared(new AgentRunPlace(invocation.PresetName, place.WorkingDirectory, RotatingLog.PathFor(home, agent.Name)));
        return adapter.RunAsync(invocation, observer, cancellationToken);
    }
}

internal static class TaskAgentLookup
{
    /// <summary>The definition named <paramref name="name"/>; AgentNotFound naming the known agents and how to add one.</summary>
    public static AgentDefinition Find(this IReadOnlyList<AgentDefinition> definitions, string name)
    {
        return definitions.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new AiSwitchException(ErrorId.AgentNotFound,
                $"Agent '{name}' not found. Known agents: {string.Join(", ", definitions.Select(d => d.Name))}. Register one with Register-AiAgent.",
                name);
    }
}
