namespace AiSwitch;

/// <summary>Seed 003 TaskStatus for one task on one agent (not System.Threading.Tasks.TaskStatus).</summary>
public enum TaskState
{
    Pending,
    Assigned,
    Running,
    Completed,
    Failed,
    Cancelled,
    Timeout,
}

/// <summary>How the agents of one request share its tasks.</summary>
public enum TaskMode
{
    /// <summary>Every task on every named agent at once.</summary>
    Parallel,

    /// <summary>Every task on every named agent, one agent after another.</summary>
    Sequential,

    /// <summary>Each agent gets the previous agent's output as context (seed chain_mode).</summary>
    Chain,

    /// <summary>Each task goes to one agent of the pool, chosen by <see cref="DistributionStrategy"/>.</summary>
    Distribute,
}

/// <summary>How <see cref="TaskMode.Distribute"/> picks an agent for a task.</summary>
public enum DistributionStrategy
{
    RoundRobin,

    /// <summary>The agent with the most free capacity when the task is ready to start.</summary>
    LeastBusy,

    /// <summary>An agent whose tags hold every capability the task asks for.</summary>
    Capability,

    /// <summary>Stable by prompt: the same prompt always goes to the same agent of the same pool.</summary>
    Hash,
}

/// <summary>How several results of one request become one answer (Merge-AiTaskResult).</summary>
public enum AggregationStrategy
{
    All,
    FirstSuccess,
    Majority,
    Fastest,
    Cheapest,
    Longest,
}

/// <summary>Seed 003 CoordinationMode as the task engine applies it to working directories.</summary>
public enum TaskCoordinationMode
{
    /// <summary>Agents working in one directory take an exclusive lock on it: never two at once.</summary>
    Strict,

    /// <summary>Status only: agents share the directory freely.</summary>
    Loose,

    /// <summary>Each agent works in its own git worktree (or a copy), reported back as changed files and a diff.</summary>
    Isolated,
}
