using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents;

/// <summary>Start-AiAgent / <c>aiswitch agents start</c>.</summary>
public sealed class StartAgentRequest
{
    public required string Name { get; init; }

    /// <summary>Overrides the agent's environment record and its definition's preset.</summary>
    public string? Preset { get; init; }

    /// <summary>Where the agent runs when its definition names no folder (the caller's current location).</summary>
    public string? WorkingDirectory { get; init; }
}

/// <summary>Stop-AiAgent / <c>aiswitch agents stop</c>.</summary>
public sealed class StopAgentRequest
{
    /// <summary>A constant, so that the cmdlet's -Timeout starts with it as a literal that its help can read.</summary>
    public const int DefaultTimeoutSeconds = 10;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(DefaultTimeoutSeconds);

    public required string Name { get; init; }

    /// <summary>Kill at once instead of asking the agent to finish.</summary>
    public bool Force { get; init; }

    /// <summary>How long running tasks and the agent get to end before their process trees are killed.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}

/// <summary>One task for one agent (what the Tasks area hands the registry).</summary>
internal sealed class AgentRunRequest
{
    public required string Agent { get; init; }

    public required AgentTask Task { get; init; }

    public string? Preset { get; init; }

    public string? WorkingDirectory { get; init; }

    public IAgentRunObserver Observer { get; init; } = NullAgentRunObserver.Instance;
}
