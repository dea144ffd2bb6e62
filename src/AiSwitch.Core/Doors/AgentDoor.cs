using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;

namespace AiSwitch.Core;

/// <summary>
/// The agents door: definitions (built-in claude, codex, gemini, and <c>config/agents.yaml</c>) and the agents this
/// session starts, supervises and stops, with their state in every other session.
/// </summary>
public sealed class AgentDoor
{
    private readonly AiSession _session;

    internal AgentDoor(AiSession session) => _session = session;

    /// <summary>Raised (on any thread) when an agent of this session changes status.</summary>
    public event EventHandler<AgentStatusChangedEventArgs>? StatusChanged
    {
        add => Registry.StatusChanged += value;
        remove => Registry.StatusChanged -= value;
    }

    /// <summary>Agents whose name matches <paramref name="pattern"/> (all when null); a literal name that matches nothing is AgentNotFound.</summary>
    public IReadOnlyList<AiAgent> Get(string? pattern = null, bool runningOnly = false) => Registry.Get(pattern, runningOnly);

    public AgentDefinition Register(RegisterAgentRequest request) => Registry.Register(request);

    /// <summary>Removes a user definition; an agent this session runs is stopped first.</summary>
    public Task UnregisterAsync(string name, CancellationToken cancellationToken = default) => Registry.UnregisterAsync(name, cancellationToken);

    /// <summary>Starts (or, for a per-task adapter, readies) an agent in this session; one that runs already is returned as it is.</summary>
    public Task<AiAgent> StartAsync(StartAgentRequest request, CancellationToken cancellationToken = default) => Registry.StartAsync(request, cancellationToken);

    /// <summary>Stops an agent of this session and its whole process tree.</summary>
    public Task<AiAgent> StopAsync(StopAgentRequest request, CancellationToken cancellationToken = default) => Registry.StopAsync(request, cancellationToken);

    public Task<AiAgent> RestartAsync(string name, CancellationToken cancellationToken = default) => Registry.RestartAsync(name, cancellationToken);

    /// <summary>Every agent's name, built-in and registered (tab completion). A broken agents.yaml leaves the built-ins.</summary>
    public IReadOnlyList<string> Names()
    {
        try
        {
            return [.. Registry.Definitions.Select(d => d.Name)];
        }
        catch (AiSwitchException)
        {
            return [.. BuiltInAgents.All.Select(d => d.Name)];
        }
    }

    /// <summary>The adapters this build has (claude-code, codex, gemini, jsonrpc, anthropic, openai).</summary>
    public static IReadOnlyList<string> AdapterNames => AdapterCatalog.Default.KnownNames;

    private AgentRegistry Registry => AgentRegistry.For(_session);
}
