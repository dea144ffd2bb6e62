using System.Collections.Concurrent;
using AiSwitch.Core.Errors;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Tasks;

/// <summary>
/// Requests running in the background of a session (Start-AiTask, -AsJob, <c>aiswitch task start</c>): start returns at
/// once; results wait here until received. Batches of other sessions are seen (read-only) through state/tasks.json.
/// </summary>
public sealed class TaskJobs : IDisposable
{
    private readonly TaskOperations _operations;
    private readonly ConcurrentDictionary<string, BackgroundBatch> _batches = new(StringComparer.OrdinalIgnoreCase);

    public TaskJobs(TaskOperations operations) => _operations = operations;

    public static TaskJobs For(AiSession session) => session.GetService(s => new TaskJobs(TaskOperations.For(s)));

    /// <summary>
    /// Checks the request (unknown agents, bad values fail here, at once) and starts it. <paramref name="onResult"/> sees
    /// each result as it finishes, on a pool thread.
    /// </summary>
    public BackgroundBatch Start(InvokeTaskRequest request, Action<TaskResult>? onResult = null)
    {
        var batchId = request.BatchId ?? TaskOperations.NewBatchId();
        if (_batches.TryGetValue(batchId, out var existing) && !existing.Completion.IsCompleted)
        {
            throw new AiSwitchException(ErrorId.TaskAlreadyExists, $"Task '{batchId}' is still running. Wait for it with Wait-AiTask, or give another id.", batchId);
        }

        request = request with { BatchId = batchId };
        var planned = _operations.Plan(request);
        var batch = new BackgroundBatch(batchId, request, planned.Count);
        _batches[batchId] = batch;
        batch.Run(_operations, onResult);
        return batch;
    }

    /// <summary>Batches whose id matches <paramref name="pattern"/> (wildcards): this session's live ones, then the rest of tasks.json.</summary>
    public IReadOnlyList<AiTask> Get(string? pattern = null)
    {
        var matcher = new Presets.NamePattern(pattern ?? "*");
        var live = _batches.Values.OrderBy(b => b.StartedAt).Select(b => b.Snapshot()).ToList();
        var others = _operations.ListBatches().Where(t => !_batches.ContainsKey(t.TaskId));
        return [.. live.Concat(others).Where(t => matcher.IsMatch(t.TaskId))];
    }

    /// <summary>Waits for the batches to finish, or until <paramref name="timeout"/>; returns the finished ones.</summary>
    public async Task<IReadOnlyList<AiTask>> WaitAsync(IReadOnlyList<string> taskIds, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var batches = taskIds.Select(Live).ToList();
        var all = Task.WhenAll(batches.Select(b => b.Completion));
        if (timeout is { } limit)
        {
            await Task.WhenAny(all, Task.Delay(limit, cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            await all.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return [.. batches.Where(b => b.Completion.IsCompleted).Select(b => b.Snapshot())];
    }

    /// <summary>The batch's results not yet received (all of them with <paramref name="keep"/>, which also leaves them for later).</summary>
    public IReadOnlyList<TaskResult> Receive(string taskId, bool keep) => Live(taskId).Take(keep);

    /// <summary>Cancels the batch: running agents stop within a second, the rest become Cancelled.</summary>
    public AiTask Stop(string taskId)
    {
        var batch = Live(taskId);
        batch.Cancel();
        return batch.Snapshot();
    }

    public void Dispose()
    {
        foreach (var batch in _batches.Values)
        {
            batch.Cancel();
        }
    }

    private BackgroundBatch Live(string taskId)
    {
        if (_batches.TryGetValue(taskId, out var batch))
        {
            return batch;
        }

        var elsewhere = _operations.ListBatches().FirstOrDefault(t => string.Equals(t.TaskId, taskId, StringComparison.OrdinalIgnoreCase));
        throw elsewhere is not null
            ? new AiSwitchException(ErrorId.TaskNotFound, $"Task '{taskId}' belongs to another session (process {elsewhere.OwnerPid}); its results live there. Get-AiTask shows its status.", taskId)
            : new AiSwitchException(ErrorId.TaskNotFound, $"Task '{taskId}' not found. Known tasks: {string.Join(", ", _batches.Keys.DefaultIfEmpty("(none)"))}. Start one with Start-AiTask.", taskId);
    }
}

/// <summary>One background request: its results so far and its completion.</summary>
public sealed class BackgroundBatch
{
    private readonly ConcurrentQueue<TaskResult> _unread = new();
    private readonly ConcurrentQueue<TaskResult> _all = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly InvokeTaskRequest _request;
    private readonly int _total;
    private readonly string _agents;

    internal BackgroundBatch(string taskId, InvokeTaskRequest request, int total)
    {
        TaskId = taskId;
        _request = request;
        _total = total;
        _agents = string.Join(", ", request.Agents.Count > 0 ? request.Agents : request.Tasks.SelectMany(t => t.Agents ?? []).Distinct(StringComparer.OrdinalIgnoreCase));
    }

    public string TaskId { get; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Completes when every task has finished (or was cancelled); never faults.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public AiSwitchException? Error { get; private set; }

    public void Cancel() => _cancel.Cancel();

    public AiTask Snapshot()
    {
        var results = _all.ToList();
        var done = Completion.IsCompleted;
        return new AiTask
        {
            TaskId = TaskId,
            Status = !done ? TaskState.Running
                : _cancel.IsCancellationRequested ? TaskState.Cancelled
                : Error is null && results.All(r => r.Success) ? TaskState.Completed : TaskState.Failed,
            Progress = _total == 0 ? 100 : Math.Min(100, results.Count * 100 / _total),
            Agents = _agents,
            Total = _total,
            Succeeded = results.Count(r => r.Success),
            Failed = results.Count(r => !r.Success),
            StartedAt = StartedAt,
            CompletedAt = CompletedAt,
            OwnerPid = Environment.ProcessId,
            Prompt = _request.Tasks[0].Prompt,
            Mode = _request.Mode,
        };
    }

    internal void Run(TaskOperations operations, Action<TaskResult>? onResult)
    {
        Completion = Task.Run(async () =>
        {
            try
            {
                await foreach (var result in operations.InvokeAsync(_request, SilentOperationContext.Instance, _cancel.Token).ConfigureAwait(false))
                {
                    _all.Enqueue(result);
                    _unread.Enqueue(result);
                    onResult?.Invoke(result);
                }
            }
            catch (AiSwitchException ex)
            {
                Error = ex;
            }
            finally
            {
                CompletedAt = DateTimeOffset.UtcNow;
            }
        });
    }

    internal IReadOnlyList<TaskResult> Take(bool keep)
    {
        if (keep)
        {
            return [.. _all];
        }

        var taken = new List<TaskResult>();
        while (_unread.TryDequeue(out var result))
        {
            taken.Add(result);
        }

        return taken;
    }
}
