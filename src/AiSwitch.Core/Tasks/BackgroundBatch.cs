using System.Collections.Concurrent;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Tasks;

/// <summary>
/// One task running in the background of this process: its results so far and its completion. When it ends its results
/// go to <c>state/tasks/ID.results.json</c> for every other session; while it runs it cancels when another process asks.
/// </summary>
public sealed class BackgroundBatch
{
    private readonly ConcurrentQueue<TaskResult> _unread = new();
    private readonly ConcurrentQueue<TaskResult> _all = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly CancellationTokenSource _ended = new();
    private readonly InvokeTaskRequest _request;
    private readonly TaskFiles _files;
    private readonly int _total;
    private readonly string _agents;

    internal BackgroundBatch(string taskId, InvokeTaskRequest request, int total, TaskFiles files)
    {
        TaskId = taskId;
        _request = request;
        _files = files;
        _total = total;
        _agents = string.Join(", ", request.Agents.Count > 0 ? request.Agents : request.Tasks.SelectMany(t => t.Agents ?? []).Distinct(StringComparer.OrdinalIgnoreCase));
    }

    public string TaskId { get; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Completes when every task has finished (or was cancelled) and the results are stored; never faults.</summary>
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
                : Error is not null ? TaskState.Failed
                : results.Any(r => r.Status == TaskState.Cancelled) ? TaskState.Cancelled
                : results.All(r => r.Success) ? TaskState.Completed : TaskState.Failed,
            Progress = _total == 0 ? 100 : Math.Min(100, results.Count * 100 / _total),
            Agents = _agents,
            Total = _total,
            Succeeded = results.Count(r => r.Success),
            Failed = results.Count(r => !r.Success),
            StartedAt = StartedAt,
            CompletedAt = CompletedAt,
            OwnerPid = Environment.ProcessId,
            Prompt = _request.Tasks[0].Prompt,
            Mode = _request.ResolvedMode,
        };
    }

    internal void Run(TaskOperations operations, Action<TaskResult>? onResult)
    {
        var watch = WatchForCancelAsync();
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
                Store();
                await _ended.CancelAsync().ConfigureAwait(false);
                await watch.ConfigureAwait(false);
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

    private void Store()
    {
        try
        {
            _files.Results(TaskId).Write(new TaskResultsFile { Results = [.. _all] }, durable: false);
            _files.Finished(TaskId);
        }
        catch (Exception ex) when (ex is AiSwitchException or IOException or UnauthorizedAccessException)
        {
            // The results are still here for this session; only other sessions miss them. Nothing else is left to report to.
            Error ??= ex as AiSwitchException ?? new AiSwitchException(ErrorId.StorageError, $"The results of task '{TaskId}' could not be stored in {_files.Directory}: {ex.Message}", TaskId, ex);
        }
    }

    /// <summary>Cancels when another process asks (<c>ID.cancel</c>), until the task ends.</summary>
    private async Task WatchForCancelAsync()
    {
        using var timer = new PeriodicTimer(TaskJobs.PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_ended.Token).ConfigureAwait(false))
            {
                if (_files.CancelRequested(TaskId))
                {
                    await _cancel.CancelAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The task has ended.
        }
    }
}
