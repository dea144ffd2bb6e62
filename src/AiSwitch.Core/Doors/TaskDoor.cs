using AiSwitch.Core.Hosting;
using AiSwitch.Core.Tasks;

namespace AiSwitch.Core;

/// <summary>
/// The tasks door: running one request on several agents (parallel, sequential, chain, distributed) and streaming its
/// results; background tasks that any session or process can follow, wait for, receive and stop; merging results.
/// </summary>
public sealed class TaskDoor
{
    private readonly AiSession _session;

    internal TaskDoor(AiSession session) => _session = session;

    /// <summary>Raised on a pool thread for every finished task of this session.</summary>
    public event EventHandler<TaskFinishedEventArgs>? TaskFinished
    {
        add => Operations.TaskFinished += value;
        remove => Operations.TaskFinished -= value;
    }

    /// <summary>Runs the request; each result comes as soon as its task finishes. Cancellation yields the rest as Cancelled.</summary>
    public IAsyncEnumerable<TaskResult> InvokeAsync(InvokeTaskRequest request, IOperationContext context, CancellationToken cancellationToken = default)
        => Operations.InvokeAsync(request, context, cancellationToken);

    /// <summary>What a request would run, on which agent, after what, without running or spending anything.</summary>
    public IReadOnlyList<PlannedTask> Plan(InvokeTaskRequest request) => [.. Operations.Plan(request).Select(PlannedTask.From)];

    /// <summary>
    /// <c>--switch-env</c> / <c>-SwitchEnvironment</c>: binds the request's preset to each of its agents for good, as
    /// Switch-AiEnvironment does (a snapshot first, all variables or none), before the run starts. The preset and the agents
    /// are checked first, so a typo changes no agent. Returns one SwitchResult per agent, in the request's order.
    /// </summary>
    public async Task<IReadOnlyList<SwitchResult>> SwitchAgentsAsync(InvokeTaskRequest request, Func<string, string?>? secrets = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Preset is not { } preset)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                "Switching the agents' environment for good needs a preset, and none was given. Add -Preset NAME (aiswitch run --preset NAME --switch-env, or aiswitch apply NAME --switch-env).",
                "SwitchEnvironment");
        }

        Operations.Plan(request); // unknown agents and presets fail here, before any agent changes
        var agents = request.Agents.Concat(request.Tasks.SelectMany(t => t.Agents ?? [])).Distinct(StringComparer.OrdinalIgnoreCase);
        var results = new List<SwitchResult>();
        foreach (var agent in agents)
        {
            results.Add(await _session.Environments.SwitchAsync(agent, preset, secrets: secrets, cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>Starts the request in the background of this session and returns at once; <paramref name="onResult"/> sees each result (pool thread).</summary>
    public BackgroundBatch Start(InvokeTaskRequest request, Action<TaskResult>? onResult = null) => Jobs.Start(request, onResult);

    /// <summary>
    /// Starts the request in a new detached process, <paramref name="ownerCommand"/> with the task id appended, which must
    /// call <see cref="RunOwnedAsync"/>; returns the task, Pending, at once (the CLI's <c>task start</c>).
    /// </summary>
    public AiTask StartDetached(InvokeTaskRequest request, IReadOnlyList<string> ownerCommand) => Jobs.StartDetached(request, ownerCommand);

    /// <summary>In the process <see cref="StartDetached"/> started: runs the task handed to it and returns its results.</summary>
    public Task<IReadOnlyList<TaskResult>> RunOwnedAsync(string taskId, CancellationToken cancellationToken) => Jobs.RunOwnedAsync(taskId, cancellationToken);

    /// <summary>
    /// Tasks of every session whose id matches <paramref name="pattern"/> (all when null). An id without wildcards is one
    /// task, found also by one of its results' TaskId, or TaskNotFound; a wildcard that matches nothing is no task.
    /// </summary>
    public IReadOnlyList<AiTask> Get(string? pattern = null) => Jobs.Get(pattern);

    /// <summary>Waits for the tasks to end, or until <paramref name="timeout"/>; returns those that ended.</summary>
    public Task<IReadOnlyList<AiTask>> WaitAsync(IReadOnlyList<string> taskIds, TimeSpan? timeout, CancellationToken cancellationToken = default)
        => Jobs.WaitAsync(taskIds, timeout, cancellationToken);

    /// <summary>A task's results: this session's not yet received (all with <paramref name="keep"/>); another's once it has ended.</summary>
    public IReadOnlyList<TaskResult> Receive(string taskId, bool keep = false) => Jobs.Receive(taskId, keep);

    /// <summary>Cancels a task wherever it runs, waits for its agents to stop, and returns it.</summary>
    public Task<AiTask> StopAsync(string taskId, CancellationToken cancellationToken = default) => Jobs.StopAsync(taskId, cancellationToken);

    /// <summary>
    /// The error a result that did not complete stands for (its ErrorId, message and TaskId), for a front to report beside
    /// the result itself; null for a completed one.
    /// </summary>
    public static AiSwitchException? Failure(TaskResult result) => TaskResults.Failure(result);

    /// <summary>A result from its properties by name, as Import-Csv, Import-Clixml or a remote session hand it back.</summary>
    public static TaskResult ResultFrom(IReadOnlyDictionary<string, object?> properties) => TaskResults.FromProperties(properties);

    /// <summary>Several results of one question as one answer.</summary>
    public static AggregatedResult Merge(IReadOnlyList<TaskResult> results, AggregationStrategy strategy) => TaskAggregation.Merge(results, strategy);

    private TaskOperations Operations => TaskOperations.For(_session);

    private TaskJobs Jobs => TaskJobs.For(_session);
}
