
namespace AiSwitch.Core.Tasks;

/// <summary>Builds a request from the fronts' switches (Invoke-AiTask, <c>aiswitch run</c>), refusing contradictions.</summary>
public static class TaskRequests
{
    /// <summary>The id, or InvalidArgument when it is not 1-100 file-safe characters (ids name result files and workspaces).</summary>
    public static string ValidateTaskId(string id) => TaskPlanner.ValidateId(id);

    /// <summary>
    /// Checks one task's own values (InvalidArgument naming the value and the range): Priority 1-10, MaxTokens at least 1,
    /// Temperature 0-2, a file-safe TaskId. The planner checks every task again; a front checks each as it arrives, so
    /// one bad row of many is reported and left out.
    /// </summary>
    public static TaskSpec Check(TaskSpec task)
    {
        if (task.TaskId is { } id)
        {
            TaskPlanner.ValidateId(id);
        }

        if (task.Priority is { } priority and (< 1 or > 10))
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, $"Priority {priority} of task '{task}' is out of range. Give 1 (lowest) to 10 (highest).", task.TaskId);
        }

        if (task.MaxTokens is { } maxTokens and < 1)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, $"MaxTokens {maxTokens} of task '{task}' is out of range. Give at least 1, or leave it out for the agent's own limit.", task.TaskId);
        }

        if (task.Temperature is { } temperature && (double.IsNaN(temperature) || temperature is < 0 or > 2))
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, $"Temperature {temperature} of task '{task}' is out of range. Give 0 to 2.", task.TaskId);
        }

        return task;
    }

    public static InvokeTaskRequest Create(
        IReadOnlyList<TaskSpec> tasks, IReadOnlyList<string> agents, bool parallel, bool sequential, bool chain, DistributionStrategy? distribute,
        int throttleLimit, double? timeoutSeconds, int retry, IReadOnlyList<string> fallback, TaskCoordinationMode coordination, string workingDirectory,
        string? preset = null)
    {
        var modes = new List<TaskMode>();
        if (parallel)
        {
            modes.Add(TaskMode.Parallel);
        }

        if (sequential)
        {
            modes.Add(TaskMode.Sequential);
        }

        if (chain)
        {
            modes.Add(TaskMode.Chain);
        }

        if (distribute is not null)
        {
            modes.Add(TaskMode.Distribute);
        }

        if (modes.Count > 1)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"Choose one mode: {string.Join(" and ", modes)} were both given. Use Parallel, Sequential, Chain or Distribute alone.");
        }

        return new InvokeTaskRequest
        {
            Tasks = tasks,
            Agents = agents,
            Mode = modes.Count == 1 ? modes[0] : null,
            Distribution = distribute ?? DistributionStrategy.RoundRobin,
            ThrottleLimit = throttleLimit,
            Timeout = timeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            Retry = retry,
            Fallback = fallback,
            CoordinationMode = coordination,
            WorkingDirectory = workingDirectory,
            Preset = preset,
        };
    }
}
