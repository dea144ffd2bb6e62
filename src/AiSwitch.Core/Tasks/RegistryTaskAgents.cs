using AiSwitch.Core.Agents;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Tasks;

/// <summary>
/// The session's agents for the task engine: the registry's definitions, and its RunAsync, which starts the agent when
/// needed, builds its isolated environment (allowlist, preset, quiet settings) and supervises its processes.
/// </summary>
internal sealed class RegistryTaskAgents(AgentRegistry registry) : ITaskAgents
{
    public IReadOnlyList<AgentDefinition> Definitions => registry.Definitions;

    public Task<AgentRunResult> RunAsync(AgentDefinition agent, AgentTask task, TaskRunPlace place, IAgentRunObserver observer, CancellationToken cancellationToken) =>
        registry.RunAsync(new AgentRunRequest
        {
            Agent = agent.Name,
            Task = task,
            Preset = place.Preset,
            WorkingDirectory = place.WorkingDirectory,
            Observer = observer,
        }, cancellationToken);
}
