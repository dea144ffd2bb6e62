namespace AiSwitch;

/// <summary>How bad an observed condition is.</summary>
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum AlertLevel : long
{
    Ok,
    Warning,
    Critical,
}

/// <summary>One alert notification: a condition was raised (crossed a threshold) or recovered.</summary>
public sealed class AlertNotice
{
    public required DateTimeOffset Time { get; init; }

    /// <summary>The rule: quota, error_rate or agent_down.</summary>
    public required string Rule { get; init; }

    /// <summary>What it is about: an agent's name, or "*" for all agents.</summary>
    public required string Subject { get; init; }

    public AlertLevel Level { get; init; }

    /// <summary>"raised" or "recovered".</summary>
    public required string Kind { get; init; }

    public required string Message { get; init; }
}
