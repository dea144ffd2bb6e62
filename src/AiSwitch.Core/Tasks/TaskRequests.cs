
namespace AiSwitch.Core.Tasks;

/// <summary>Builds a request from the fronts' switches (Invoke-AiTask, <c>aiswitch run</c>), refusing contradictions.</summary>
public static class TaskRequests
{
    /// <summary>The id, or InvalidArgument when it is not 1-100 file-safe characters (ids name result files and workspaces).</summary>
    public static string ValidateTaskId(string id) => TaskPlanner.ValidateId(id);

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
            Mode = modes.Count == 1 ? modes[0] : TaskMode.Parallel,
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
