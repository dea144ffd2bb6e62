using AiSwitch.Core.Home;
using System.Collections.Concurrent;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Locking;

namespace AiSwitch.Core.Tasks;

/// <summary>
/// Background tasks, one model for both fronts. A task runs in the process that owns it: this session
/// (<see cref="Start"/>: Start-AiTask, -AsJob) or a detached process started for it (<see cref="StartDetached"/>:
/// <c>aiswitch task start</c>, whose process ends at once). Every owner keeps the board (<c>state/tasks.json</c>) up to date,
/// writes the task's results to <c>state/tasks/ID.results.json</c> when it ends, and cancels when another process asks
/// (<c>ID.cancel</c>), so any session can follow, wait for, receive and stop any task.
/// </summary>
internal sealed class TaskJobs : IDisposable
{
    /// <summary>How often a task owned elsewhere is looked at while waiting for it, and an owner looks for a cancel request.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a stop waits for the task's agents to wind down before it returns the task as it is.</summary>
    internal static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly TaskOperations _operations;
    private readonly TaskFiles _files;
    private readonly ConcurrentDictionary<string, BackgroundBatch> _batches = new(StringComparer.OrdinalIgnoreCase);

    public TaskJobs(TaskOperations operations, TaskFiles files)
    {
        _operations = operations;
        _files = files;
    }

    public static TaskJobs For(AiSession session) => session.GetService(s => new TaskJobs(TaskOperations.For(s), new TaskFiles(s.Home)));

    /// <summary>
    /// Checks the request (unknown agents, bad values fail here, at once) and runs it in this process. <paramref name="onResult"/>
    /// sees each result as it finishes, on a pool thread.
    /// </summary>
    public BackgroundBatch Start(InvokeTaskRequest request, Action<TaskResult>? onResult = null)
    {
        var batchId = TaskOperations.BatchIdOf(request);
        EnsureFree(batchId);
        request = _operations.Resolve(request) with { BatchId = batchId };
        var batch = new BackgroundBatch(batchId, request, _operations.Plan(request).Count, _files);
        _batches[batchId] = batch;
        batch.Run(_operations, onResult);
        return batch;
    }

    /// <summary>
    /// Checks the request and hands it to a new process, started detached with <paramref name="ownerCommand"/> and the task id
    /// as its last argument; that process calls <see cref="RunOwnedAsync"/>. Returns the task, Pending, at once.
    /// </summary>
    public AiTask StartDetached(InvokeTaskRequest request, IReadOnlyList<string> ownerCommand)
    {
        var batchId = TaskOperations.BatchIdOf(request);
        EnsureFree(batchId);
        return _operations.RecordPending(request with { BatchId = batchId }, planned =>
        {
            _files.Request(batchId).Write(planned, durable: false);
            return DetachedProcess.Start([.. ownerCommand, batchId]);
        });
    }

    /// <summary>In the process <see cref="StartDetached"/> started: runs the task it was handed and returns its results.</summary>
    public async Task<IReadOnlyList<TaskResult>> RunOwnedAsync(string taskId, CancellationToken cancellationToken)
    {
        var request = _files.Request(taskId).Read()
            ?? throw new AiSwitchException(ErrorId.TaskNotFound, $"Task '{taskId}' has no request to run in {_files.Directory}. Start tasks with 'aiswitch task start'.", taskId);
        request = _operations.Resolve(request);
        var batch = new BackgroundBatch(taskId, request, _operations.Plan(request).Count, _files);
        _batches[taskId] = batch;
        batch.Run(_operations, null);
        using (cancellationToken.Register(batch.Cancel))
        {
            await batch.Completion.ConfigureAwait(false);
        }

        return batch.Error is { } error ? throw error : batch.Take(keep: true);
    }

    /// <summary>
    /// Tasks whose id matches <paramref name="pattern"/> (wildcards): this session's, then every other one on the board.
    /// A wildcard that matches nothing is no task; an id without one that matches nothing is TaskNotFound.
    /// </summary>
    public IReadOnlyList<AiTask> Get(string? pattern = null)
    {
        if (pattern is not null && !NamePattern.HasWildcards(pattern))
        {
            return [Find(pattern)];
        }

        var matcher = new NamePattern(pattern ?? "*");
        return [.. All().Where(t => matcher.IsMatch(t.TaskId))];
    }

    /// <summary>Waits for the tasks to end, or until <paramref name="timeout"/>; returns the ended ones.</summary>
    public async Task<IReadOnlyList<AiTask>> WaitAsync(IReadOnlyList<string> taskIds, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        taskIds = [.. taskIds.Select(id => Find(id).TaskId).Distinct(StringComparer.OrdinalIgnoreCase)];
        var waits = taskIds.Select(id => _batches.TryGetValue(id, out var batch) ? batch.Completion : WaitElsewhereAsync(id, cancellationToken)).ToList();
        var all = Task.WhenAll(waits);
        if (timeout is { } limit)
        {
            await Task.WhenAny(all, Task.Delay(limit, cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            await all.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return [.. taskIds.Where((_, i) => waits[i].IsCompletedSuccessfully).Select(Find)];
    }

    /// <summary>
    /// The task's results: for this session's, those not yet received (all with <paramref name="keep"/>, which also leaves them);
    /// for another's, all of them once it has ended (TaskStillRunning before).
    /// </summary>
    public IReadOnlyList<TaskResult> Receive(string taskId, bool keep)
    {
        var task = Find(taskId);
        if (_batches.TryGetValue(task.TaskId, out var batch))
        {
            return batch.Take(keep);
        }

        if (_files.Results(task.TaskId).Read() is { } stored)
        {
            return stored.Results;
        }

        throw task.CompletedAt is null
            ? new AiSwitchException(ErrorId.TaskStillRunning,
                $"Task '{task.TaskId}' is still running in process {task.OwnerPid}; its results are written when it ends. Wait for it with Wait-AiTask {task.TaskId} (aiswitch task wait {task.TaskId}).", task.TaskId)
            : task.Reason is { } reason
                ? new AiSwitchException(ErrorId.TaskOwnerDied, $"Task '{task.TaskId}' has no results: {reason}", task.TaskId)
                : new AiSwitchException(ErrorId.TaskNotFound,
                    $"Task '{task.TaskId}' ended {task.Status} but left no results in {_files.Directory} (its process ended first, or they were removed).", task.TaskId);
    }

    /// <summary>Cancels the task wherever it runs, waits for its agents to stop (a few seconds at most) and returns it.</summary>
    public async Task<AiTask> StopAsync(string taskId, CancellationToken cancellationToken)
    {
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(StopGrace);
        var task = Find(taskId);
        if (_batches.TryGetValue(task.TaskId, out var batch))
        {
            batch.Cancel();
            await batch.Completion.WaitAsync(grace.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            return batch.Snapshot();
        }

        if (IsRunning(task))
        {
            _files.RequestCancel(task.TaskId);
            await WaitElsewhereAsync(task.TaskId, grace.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Find(task.TaskId);
    }

    public void Dispose()
    {
        foreach (var batch in _batches.Values)
        {
            batch.Cancel();
        }
    }

    private void EnsureFree(string batchId)
    {
        TaskPlanner.ValidateId(batchId);
        if (All().FirstOrDefault(t => string.Equals(t.TaskId, batchId, StringComparison.OrdinalIgnoreCase)) is { } running && IsRunning(running))
        {
            // Another session owns the id: two coordinators claiming one task is seed 003's coordination conflict.
            throw running.SessionId is { } owner && owner != _operations.SessionId
                ? new AiSwitchException(ErrorId.CoordinationConflict,
                    $"Task id '{batchId}' is claimed by another session (process {running.OwnerPid}, session {owner}), which is still running it. Wait for it with Wait-AiTask {batchId}, or give the new task another id.", batchId)
                : new AiSwitchException(ErrorId.TaskAlreadyExists,
                    $"Task '{batchId}' is still running (process {running.OwnerPid}). Wait for it with Wait-AiTask {batchId}, or give the new task another id.", batchId);
        }
    }

    /// <summary>
    /// The task by id, this session's or from the board; a result's TaskId (one agent's part, "ID.agent") names its task
    /// too, so results pipe into Wait-AiTask. TaskNotFound names the known ones.
    /// </summary>
    public AiTask Find(string taskId)
    {
        var all = All();
        AiTask? Named(string id) => all.FirstOrDefault(t => string.Equals(t.TaskId, id, StringComparison.OrdinalIgnoreCase));
        if ((Named(taskId) ?? (_operations.BatchOf(taskId) is { } batch ? Named(batch) : null)) is { } found)
        {
            return found;
        }

        // Another session's result: its id starts with its task's id.
        for (var dot = taskId.LastIndexOf('.'); dot > 0; dot = taskId.LastIndexOf('.', dot - 1))
        {
            if (Named(taskId[..dot]) is { } owner)
            {
                return owner;
            }
        }

        throw new AiSwitchException(ErrorId.TaskNotFound,
            $"Task '{taskId}' not found. Known tasks: {string.Join(", ", all.Select(t => t.TaskId).TakeLast(10).DefaultIfEmpty("(none)"))}. Get-AiTask (aiswitch task status) lists them.", taskId);
    }

    /// <summary>This session's tasks, then every other one on the board.</summary>
    private List<AiTask> All()
    {
        var live = _batches.Values.OrderBy(b => b.StartedAt).Select(b => b.Snapshot());
        var others = _operations.ListBatches().Where(t => !_batches.ContainsKey(t.TaskId));
        return [.. live.Concat(others)];
    }

    /// <summary>Until the task owned by another process has ended and left its results, or its process is gone.</summary>
    private async Task WaitElsewhereAsync(string taskId, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        while (Find(taskId) is var task && !(OwnerGone(task) || task.Reason is not null || (task.CompletedAt is not null && File.Exists(_files.Results(taskId).Path))))
        {
            await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Still running: not ended, and its owner process (always alive for this session's) is there to end it.</summary>
    private static bool IsRunning(AiTask task) => task.CompletedAt is null && !OwnerGone(task);

    // The board marks a task whose owner died (TaskBoard.Read); this covers an owner that dies between two reads.
    private static bool OwnerGone(AiTask task) => ProcessIdentity.Check(task.OwnerPid, null) == OwnerLiveness.Dead;
}
