namespace AiSwitch.Core.Tasks;

/// <summary>One prompt to run: a piped string, a piped object (Import-Csv), or -Prompt.</summary>
public sealed class TaskSpec
{
    public required string Prompt { get; init; }

    /// <summary>The id other tasks name in DependsOn; generated when absent.</summary>
    public string? TaskId { get; init; }

    public string? SystemPrompt { get; init; }

    /// <summary>Agents for this task only; null uses the request's.</summary>
    public IReadOnlyList<string>? Agents { get; init; }

    public int? MaxTokens { get; init; }

    public double? Temperature { get; init; }

    /// <summary>1 (lowest) to 10; higher runs first when the queue is full.</summary>
    public int? Priority { get; init; }

    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Capabilities an agent must carry as tags (Capability distribution).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    public string? WorkingDirectory { get; init; }

    public override string ToString() => TaskId ?? Prompt;
}

/// <summary>What Invoke-AiTask, Start-AiTask and <c>aiswitch run</c> ask for.</summary>
public sealed record InvokeTaskRequest
{
    public const int DefaultPriority = 5;

    public required IReadOnlyList<TaskSpec> Tasks { get; init; }

    /// <summary>The agents every task runs on (or the pool it is distributed over).</summary>
    public IReadOnlyList<string> Agents { get; init; } = [];

    /// <summary>Null: config/coordination.yaml's default_mode, else Parallel.</summary>
    public TaskMode? Mode { get; init; }

    public DistributionStrategy Distribution { get; init; } = DistributionStrategy.RoundRobin;

    /// <summary>
    /// The most tasks running at once across all agents; 0 means coordination.yaml's throttle_limit, else no limit beyond
    /// each agent's MaxConcurrency.
    /// </summary>
    public int ThrottleLimit { get; init; }

    /// <summary>Per attempt; null uses the agent's DefaultTimeout, else no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Extra attempts on a failure the adapter calls retryable (429, overloaded, connection).</summary>
    public int Retry { get; init; }

    /// <summary>The first retry's delay; each next one doubles, with up to 50% jitter, capped at <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Agents tried in turn once the task's own agent has spent its retries.</summary>
    public IReadOnlyList<string> Fallback { get; init; } = [];

    public TaskCoordinationMode CoordinationMode { get; init; } = TaskCoordinationMode.Loose;

    /// <summary>Where the agents work; null for the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The preset whose environment the agents get; null for each agent's own.</summary>
    public string? Preset { get; init; }

    /// <summary>How long Strict mode waits for another agent to leave the directory; null: coordination.yaml's, else 30 minutes.</summary>
    public TimeSpan? DirectoryLockTimeout { get; init; }

    /// <summary>The batch id (Start-AiTask's handle); generated when absent.</summary>
    public string? BatchId { get; init; }

    /// <summary>The mode once <see cref="TaskOperations.Resolve"/> has filled it in from coordination.yaml.</summary>
    internal TaskMode ResolvedMode => Mode ?? TaskMode.Parallel;
}
