using AiSwitch.Core.Agents;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Tasks;

/// <summary>The session's agents for the task engine: the registry's definitions and adapters, run under a process supervisor.</summary>
internal static class SessionTaskAgents
{
    public static ITaskAgents Create(AiSession session)
    {
        var registry = AgentRegistry.For(session);
        var supervisor = session.GetService(s => new ProcessSupervisor(s.Home, s.Id.ToString(), s.Clock));
        return new AdapterTaskAgents(registry.Definitions, registry.Adapters, session.Home, supervisor,
            (agent, adapter, _) => ChildEnvironment(session, agent, adapter));
    }

    // Until the agents area publishes its launch builder (allowlist + resolved preset + agent variables), the child gets
    // the session's environment — where Use-AiPreset / apply put the preset — with the adapter's quiet settings and the
    // agent's literal variables on top.
    private static Dictionary<string, string> ChildEnvironment(AiSession session, AgentDefinition agent, IAgentAdapter adapter)
    {
        var environment = new Dictionary<string, string>(session.Environment.GetAll(), OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var (name, value) in adapter.QuietSettings.Concat(agent.Environment.Where(v => !v.Value.StartsWith("env:", StringComparison.Ordinal) && !v.Value.StartsWith("file:", StringComparison.Ordinal))))
        {
            environment[name] = value;
        }

        return environment;
    }
}
