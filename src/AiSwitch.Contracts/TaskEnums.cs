namespace AiSwitch;

/// <summary>Seed 003 TaskStatus for one task on one agent (not System.Threading.Tasks.TaskStatus).</summary>
// Every enum a user sees is long-based: PowerShell's ConvertTo-Json writes such an enum as its name (as it must for
// 64-bit values JavaScript cannot hold) and an int-based one as a bare number, which a JSON reader cannot interpret.
public enum TaskState : long
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
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum TaskMode : long
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
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum DistributionStrategy : long
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
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum AggregationStrategy : long
{
    All,
    FirstSuccess,
    Majority,
    Fastest,
    Cheapest,
    Longest,
}

/// <summary>Seed 003 CoordinationMode as the task engine applies it to working directories.</summary>
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum TaskCoordinationMode : long
{
    /// <summary>Agents working in one directory take an exclusive lock on it: never two at once.</summary>
    Strict,

    /// <summary>Status only: agents share the directory freely.</summary>
    Loose,

    /// <summary>Each agent works in its own git worktree (or a copy), reported back as changed files and a diff.</summary>
    Isolated,
}
