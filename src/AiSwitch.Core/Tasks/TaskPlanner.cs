using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AiSwitch.Core.Agents;

namespace AiSwitch.Core.Tasks;

/// <summary>One task on one agent: the unit the scheduler runs and a TaskResult reports.</summary>
internal sealed class TaskUnit
{
    public required string TaskId { get; init; }

    public required string BatchId { get; init; }

    /// <summary>The agent, or null when LeastBusy picks one at start.</summary>
    public string? Agent { get; internal set; }

    public required string Prompt { get; init; }

    public string? SystemPrompt { get; init; }

    public int? MaxTokens { get; init; }

    public double? Temperature { get; init; }

    public int Priority { get; init; }

    public required string WorkingDirectory { get; init; }

    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Sequential mode: the unit that must finish (in any state) first.</summary>
    public string? After { get; init; }

    /// <summary>Chain mode: the unit whose output becomes this one's context; it must succeed.</summary>
    public string? ContextFrom { get; init; }

    /// <summary>
    /// Distributed units: the agents the strategy would take, best first (the planned agent leads). The scheduler takes
    /// the first whose circuit admits it, so a failing agent's tasks go to the next one the strategy allows.
    /// </summary>
    public IReadOnlyList<string>? Candidates { get; init; }

    /// <summary>Capability distribution found no agent: the reason, reported when the unit would start.</summary>
    public string? Unassignable { get; init; }

    internal int Order { get; init; }

    public override string ToString() => $"{TaskId} on {Agent ?? "(least busy)"}";
}

/// <summary>Turns a request into units: which task runs on which agent, in which order.</summary>
internal static partial class TaskPlanner
{
    public static IReadOnlyList<TaskUnit> Plan(InvokeTaskRequest request, ITaskAgents agents, string batchId)
    {
        if (request.Tasks.Count == 0)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, "No task to run. Give -Prompt, or pipe prompts or objects with a Prompt property.");
        }

        if (request.Retry < 0 || request.ThrottleLimit < 0)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, $"Retry ({request.Retry}) and ThrottleLimit ({request.ThrottleLimit}) cannot be negative.");
        }

        if (request.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, $"Timeout {timeout.TotalSeconds} s is not positive. Give the seconds one attempt may take.");
        }

        // One read of the definitions for the whole plan: the registry's come from a file, read again on every access.
        var known = agents.Definitions;
        foreach (var name in request.Fallback)
        {
            known.Find(name);
        }

        ValidateId(batchId);
        var directory = Path.GetFullPath(request.WorkingDirectory ?? Environment.CurrentDirectory);
        var units = new List<TaskUnit>();
        var assigned = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        string? previous = null;
        for (var index = 0; index < request.Tasks.Count; index++)
        {
            var spec = TaskRequests.Check(request.Tasks[index]);
            var pool = Pool(spec.Agents ?? request.Agents, known);
            var priority = spec.Priority ?? InvokeTaskRequest.DefaultPriority;
            var specId = spec.TaskId is { } given ? given : request.Tasks.Count == 1 ? batchId : $"{batchId}.{index + 1}";
            var workingDirectory = spec.WorkingDirectory is null ? directory : Path.GetFullPath(spec.WorkingDirectory, directory);
            if (request.ResolvedMode == TaskMode.Distribute)
            {
                var (agent, problem, candidates) = Choose(request.Distribution, pool, spec, index, assigned);
                units.Add(Unit(spec, specId, batchId, agent, priority, workingDirectory, units.Count, unassignable: problem, candidates: candidates));
                continue;
            }

            string? chainPrevious = null;
            foreach (var agent in pool)
            {
                var unit = Unit(spec, pool.Count == 1 ? specId : $"{specId}.{agent.Name}", batchId, agent.Name, priority, workingDirectory, units.Count,
                    after: request.ResolvedMode == TaskMode.Sequential ? previous : null,
                    contextFrom: request.ResolvedMode == TaskMode.Chain ? chainPrevious : null);
                units.Add(unit);
                previous = unit.TaskId;
                chainPrevious = unit.TaskId;
            }
        }

        var duplicate = units.GroupBy(u => u.TaskId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? units : throw new AiSwitchException(ErrorId.TaskAlreadyExists,
            $"Task id '{duplicate.Key}' is given to more than one task. Give each task its own TaskId.", duplicate.Key);
    }

    /// <summary>Task ids name files (results, isolated workspaces), so they keep to a file-safe alphabet.</summary>
    internal static string ValidateId(string id) => IdRule().IsMatch(id) ? id : throw new AiSwitchException(ErrorId.InvalidArgument,
        $"Task id '{id}' is not valid. Use 1-100 ASCII letters, digits, '-', '_' or '.', starting with a letter or digit.", id);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex IdRule();

    private static TaskUnit Unit(TaskSpec spec, string id, string batchId, string? agent, int priority, string directory, int order,
        string? after = null, string? contextFrom = null, string? unassignable = null, IReadOnlyList<string>? candidates = null) => new()
    {
        TaskId = id,
        BatchId = batchId,
        Agent = agent,
        Prompt = spec.Prompt,
        SystemPrompt = spec.SystemPrompt,
        MaxTokens = spec.MaxTokens,
        Temperature = spec.Temperature,
        Priority = priority,
        WorkingDirectory = directory,
        DependsOn = spec.DependsOn,
        Order = order,
        After = after,
        ContextFrom = contextFrom,
        Unassignable = unassignable,
        Candidates = candidates,
    };

    private static IReadOnlyList<AgentDefinition> Pool(IReadOnlyList<string> names, IReadOnlyList<AgentDefinition> known)
    {
        if (names.Count == 0)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"No agent named. Give -Agent with one or more of: {string.Join(", ", known.Select(d => d.Name))}.");
        }

        return [.. names.Distinct(StringComparer.OrdinalIgnoreCase).Select(known.Find)];
    }

    private static (string? Agent, string? Problem, IReadOnlyList<string>? Candidates) Choose(DistributionStrategy strategy, IReadOnlyList<AgentDefinition> pool, TaskSpec spec, int index, Dictionary<string, int> assigned)
    {
        switch (strategy)
        {
            case DistributionStrategy.LeastBusy:
                return (null, null, [.. pool.Select(a => a.Name)]);
            case DistributionStrategy.Hash:
                var hash = SHA256.HashData(Encoding.UTF8.GetBytes(spec.Prompt));
                return Rotated(pool, (int)(BitConverter.ToUInt32(hash, 0) % (uint)pool.Count));
            case DistributionStrategy.Capability:
                var capable = pool.Where(a => spec.Capabilities.All(c => a.Tags.Contains(c, StringComparer.OrdinalIgnoreCase))).ToList();
                if (capable.Count == 0)
                {
                    return (pool[0].Name, $"No agent in the pool ({string.Join(", ", pool.Select(a => a.Name))}) carries the tags {string.Join(", ", spec.Capabilities)} that task '{spec}' asks for. Add the tags to an agent's definition or change the task's capabilities.", null);
                }

                var ranked = capable.OrderBy(a => assigned.GetValueOrDefault(a.Name)).ToList();
                assigned[ranked[0].Name] = assigned.GetValueOrDefault(ranked[0].Name) + 1;
                return (ranked[0].Name, null, [.. ranked.Select(a => a.Name)]);
            default:
                return Rotated(pool, index % pool.Count);
        }
    }

    /// <summary>The pool from <paramref name="first"/> on, wrapping: the agent the strategy picked, then the next in turn.</summary>
    private static (string? Agent, string? Problem, IReadOnlyList<string>? Candidates) Rotated(IReadOnlyList<AgentDefinition> pool, int first) =>
        (pool[first].Name, null, [.. pool.Skip(first).Concat(pool.Take(first)).Select(a => a.Name)]);
}
