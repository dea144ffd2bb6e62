using AiSwitch.Protocol;

namespace AiSwitch.Agent;

/// <summary>One task the agent was given: where it stands, its result once it has one, and the switch that cancels it.</summary>
internal sealed class TaskEntry
{
    private readonly object _gate = new();
    private readonly TaskCompletionSource<AgentTaskResult> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskEntry(AgentTask task, DateTimeOffset now)
    {
        Task = task;
        UpdatedAt = now;
    }

    public AgentTask Task { get; }

    public CancellationTokenSource Cancellation { get; } = new();

    public AgentTaskStatus Status { get; private set; } = AgentTaskStatus.Running;

    public double? Progress { get; private set; }

    public AgentTaskResult? Result { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Why the task is being cancelled (task.cancel's reason, "timeout", "shutdown"…), set by the first cancel.</summary>
    public string? CancelReason { get; private set; }

    public bool IsFinished => Result is not null;

    /// <summary>Completes with the result when the task finishes, however it finishes.</summary>
    public Task<AgentTaskResult> Finished => _finished.Task;

    public void ReportProgress(double percent, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (Result is null)
            {
                Progress = Math.Clamp(percent, 0, 100);
                UpdatedAt = now;
            }
        }
    }

    /// <summary>Cancels the task's token, remembering the first reason. False when the task had already finished.</summary>
    public bool Cancel(string reason)
    {
        lock (_gate)
        {
            if (Result is not null)
            {
                return false;
            }

            CancelReason ??= reason;
        }

        Cancellation.Cancel();
        return true;
    }

    public void Finish(AgentTaskStatus status, AgentTaskResult result, DateTimeOffset now)
    {
        lock (_gate)
        {
            Status = status;
            Result = result;
            Progress = status == AgentTaskStatus.Completed ? 100 : Progress;
            UpdatedAt = now;
        }

        // The token source is never disposed: a late task.cancel or timeout may still call Cancel on it, and without
        // a timer of its own it holds nothing to free.
        _finished.TrySetResult(result);
    }
}

/// <summary>
/// The agent's tasks by id: the running ones, and the finished ones so task.status and task.result can answer later.
/// Keeps at most <see cref="RetainedFinished"/> finished tasks, dropping the oldest first, so a long-lived agent stays small.
/// </summary>
internal sealed class TaskRegistry
{
    public const int RetainedFinished = 10_000;

    private readonly object _gate = new();
    private readonly Dictionary<string, TaskEntry> _tasks = new(StringComparer.Ordinal);
    private readonly Queue<string> _finishedOrder = new();
    private readonly HashSet<TaskEntry> _running = [];

    public int RunningCount
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>
    /// Registers a new task. Dependencies that completed are met; ones still running are returned for the caller to wait for;
    /// unknown, failed or cancelled ones fail the assignment with -40105.
    /// </summary>
    public (TaskEntry Entry, IReadOnlyList<TaskEntry> Running) Add(AgentTask task, IReadOnlyList<string>? dependencies, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_tasks.ContainsKey(task.Id))
            {
                throw new AiSwitchException(ErrorId.TaskAlreadyExists, $"Task '{task.Id}' was already assigned to this agent. Give each task a new id.", task.Id);
            }

            var running = new List<TaskEntry>();
            var unmet = new List<string>();
            foreach (var id in dependencies ?? [])
            {
                if (_tasks.TryGetValue(id, out var dependency) && dependency.Status is AgentTaskStatus.Completed or AgentTaskStatus.Running)
                {
                    if (!dependency.IsFinished)
                    {
                        running.Add(dependency);
                    }
                }
                else
                {
                    unmet.Add(id);
                }
            }

            if (unmet.Count > 0)
            {
                throw UnmetDependencies(task.Id, unmet);
            }

            var entry = new TaskEntry(task, now);
            _tasks.Add(task.Id, entry);
            _running.Add(entry);
            return (entry, running);
        }
    }

    public static AiSwitchException UnmetDependencies(string taskId, IEnumerable<string> unmet) =>
        new(
            ErrorId.TaskDependenciesNotMet,
            $"Task '{taskId}' depends on {string.Join(", ", unmet.Select(id => $"'{id}'"))}, which this agent has not completed " +
            "(never assigned here, failed or cancelled). Assign the task after its dependencies complete.",
            taskId);

    public TaskEntry Get(string taskId)
    {
        lock (_gate)
        {
            return _tasks.TryGetValue(taskId, out var entry)
                ? entry
                : throw new AiSwitchException(ErrorId.TaskNotFound, $"Task '{taskId}' not found in this agent. It was never assigned here, or it finished long enough ago to be forgotten.", taskId);
        }
    }

    /// <summary>Records that <paramref name="entry"/> finished, forgetting the oldest finished tasks beyond the limit.</summary>
    public void Retire(TaskEntry entry)
    {
        lock (_gate)
        {
            _running.Remove(entry);
            _finishedOrder.Enqueue(entry.Task.Id);
            while (_finishedOrder.Count > RetainedFinished)
            {
                _tasks.Remove(_finishedOrder.Dequeue());
            }
        }
    }

    public IReadOnlyList<TaskEntry> Running()
    {
        lock (_gate)
        {
            return _running.ToList();
        }
    }

    /// <summary>Forgets every finished task (agent.restart without preserve_state).</summary>
    public void ForgetFinished()
    {
        lock (_gate)
        {
            foreach (var id in _finishedOrder)
            {
                _tasks.Remove(id);
            }

            _finishedOrder.Clear();
        }
    }
}
