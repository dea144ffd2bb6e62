namespace AiSwitch;

/// <summary>
/// An agent as Get-AiAgent shows it: its definition and, when some session runs it, that instance's state.
/// </summary>
public sealed class AiAgent
{
    public required string Name { get; init; }

    public required string Adapter { get; init; }

    public AgentStatus Status { get; init; }

    /// <summary>The preset the running instance uses, or the definition's default when it is stopped.</summary>
    public string? Preset { get; init; }

    /// <summary>The long-lived process, or the latest task's process of a per-task agent.</summary>
    public int? Pid { get; init; }

    public TimeSpan? Uptime { get; init; }

    public int ActiveTasks { get; init; }

    /// <summary>How far a running task says it is, in percent (a JSON-RPC agent's task.status); null when none reported.</summary>
    public double? Progress { get; init; }

    public long TasksDone { get; init; }

    public long Errors { get; init; }

    public DateTimeOffset? LastHeartbeat { get; init; }

    /// <summary>The command as configured (or the adapter's default).</summary>
    public string? Command { get; init; }

    /// <summary>The definition's file, or "built-in".</summary>
    public required string Source { get; init; }

    /// <summary>Where the command was found on PATH; null when it was not found (or the adapter runs in-process).</summary>
    public string? CommandPath { get; init; }

    public string? Model { get; init; }

    public int MaxConcurrency { get; init; }

    public int Restarts { get; init; }

    /// <summary>Why the agent is in Error (or last failed).</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The process of the session that runs the agent; null when no session does.</summary>
    public int? OwnerPid { get; init; }

    public bool BuiltIn { get; init; }

    /// <summary>Whether task distribution sends this agent tasks: Open after consecutive failures, HalfOpen while one probe may pass.</summary>
    public CircuitState Circuit { get; init; }

    /// <summary>Failures in a row that the circuit counts (a success resets them).</summary>
    public int FailureStreak { get; init; }

    /// <summary>When an Open circuit lets its next probe task through; null when Closed.</summary>
    public DateTimeOffset? ProbeAt { get; init; }

    public IReadOnlyList<string> Tags { get; init => field = NameList.Of(value); } = NameList.Empty;

    public override string ToString() => Name;
}
