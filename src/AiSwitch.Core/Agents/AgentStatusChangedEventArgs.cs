using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents;

/// <summary>An agent of this session changed status (for the events area and live views).</summary>
public sealed class AgentStatusChangedEventArgs(string agent, AgentStatus previous, AgentStatus current, string? reason) : EventArgs
{
    public string Agent { get; } = agent;

    public AgentStatus Previous { get; } = previous;

    public AgentStatus Current { get; } = current;

    /// <summary>Why, for Error (and restarts).</summary>
    public string? Reason { get; } = reason;
}
