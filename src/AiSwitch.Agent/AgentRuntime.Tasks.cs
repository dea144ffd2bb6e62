using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AiSwitch.Protocol;

namespace AiSwitch.Agent;

/// <content>
/// task.assign, task.cancel, task.status and task.result. task.assign is answered when the task has finished: normally
/// when it completed or failed, with its AgentTaskResult inline (task.result gives it too), with -40104 when cancelled,
/// -40103 when it ran past its timeout.
/// </content>
internal sealed partial class AgentRuntime
{
    private const string TimeoutReason = "timeout";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonElement> _textElements = new(StringComparer.Ordinal);

    private void RegisterTasks()
    {
        Serve(ProtocolMethods.TaskAssign, static j => j.AssignTaskParams, static j => j.AssignTaskResult, AssignAsync);
        Serve(ProtocolMethods.TaskCancel, static j => j.CancelTaskParams, static j => j.CancelTaskResult, CancelAsync);
        Serve(ProtocolMethods.TaskStatus, static j => j.TaskStatusParams, static j => j.TaskStatusResult, (parameters, _) => ValueTask.FromResult(TaskStatusOf(_tasks.Get(parameters.TaskId))));
        Serve(ProtocolMethods.TaskResult, static j => j.TaskResultParams, static j => j.AgentTaskResult, ResultAsync);
    }

    private async ValueTask<AssignTaskResult> AssignAsync(AssignTaskParams parameters, CancellationToken callCancelled)
    {
        var task = parameters.Task;
        if (string.IsNullOrWhiteSpace(task.Id))
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, "task.assign needs a task with a non-empty 'id'.", "task.id");
        }

        if (IsStopping)
        {
            throw new AiSwitchException(ErrorId.AgentBusy, $"Agent '{_agentId}' is shutting down and takes no new tasks. Assign task '{task.Id}' to another agent.", _agentId);
        }

        var assignedAt = _clock.GetUtcNow();
        var (entry, dependencies) = _tasks.Add(task, parameters.Dependencies, assignedAt);
        using var onCallCancelled = callCancelled.Register(static state => ((TaskEntry)state!).Cancel("the coordinator cancelled the task.assign call"), entry);
        using var timeout = StartTimeout(entry);
        var (status, result, failure) = await RunAsync(entry, dependencies).ConfigureAwait(false);
        entry.Finish(status, result, result.CompletedAt);
        _tasks.Retire(entry);
        Interlocked.Increment(ref _finishedTasks);
        Interlocked.Add(ref _totalExecutionMs, result.ExecutionTimeMs);
        if (status != AgentTaskStatus.Completed)
        {
            Interlocked.Increment(ref _failedTasks);
        }

        // The coordinator stops listening for the task's events once this answer (with the result inline) arrives:
        // so its final event goes first.
        await ReportFinished(entry, status, result).ConfigureAwait(false);
        return failure is null
            ? new AssignTaskResult { TaskId = task.Id, AssignedAt = assignedAt, EstimatedCompletion = result.CompletedAt, Result = WithoutMetadata(result) }
            : throw failure;
    }

    private CancellationTokenSource? StartTimeout(TaskEntry entry)
    {
        if (Seconds(entry.Task.Timeout) is not { } limit)
        {
            return null;
        }

        var timeout = new CancellationTokenSource(limit, _clock);
        timeout.Token.Register(static state => ((TaskEntry)state!).Cancel(TimeoutReason), entry);
        return timeout;
    }

    /// <summary>
    /// Waits for running dependencies, then runs the author's ExecuteAsync. Every outcome is a result; a task that was
    /// cancelled, timed out or lost its dependencies also has the error task.assign answers with.
    /// </summary>
    private async Task<(AgentTaskStatus Status, AgentTaskResult Result, AiSwitchException? Failure)> RunAsync(TaskEntry entry, IReadOnlyList<TaskEntry> dependencies)
    {
        var task = entry.Task;
        var started = Stopwatch.GetTimestamp();
        var environment = _environment.Current;
        TaskOutput output;
        AgentTaskStatus status;
        AiSwitchException? failure = null;
        try
        {
            await WaitForDependenciesAsync(entry, dependencies).ConfigureAwait(false);

            // Off the connection's reading loop: the author's code may block before its first await.
            await Task.Yield();
            _ = Publish("task.started", task.Id, null);
            var context = new TaskContext(entry, environment, _coordinator, _clock, _options.Log);
            output = await _agent.RunTaskAsync(task, context, entry.Cancellation.Token).ConfigureAwait(false);
            status = output.Success ? AgentTaskStatus.Completed : AgentTaskStatus.Failed;
        }
        catch (OperationCanceledException) when (entry.Cancellation.IsCancellationRequested && entry.CancelReason == TimeoutReason)
        {
            status = AgentTaskStatus.Timeout;
            failure = new AiSwitchException(
                ErrorId.TaskTimeout,
                $"Task '{task.Id}' did not finish within its timeout of {task.Timeout.ToString(CultureInfo.InvariantCulture)} s and was cancelled. Give it a longer 'timeout'.",
                task.Id);
            output = TaskOutput.Failed(failure.Message);
        }
        catch (OperationCanceledException) when (entry.Cancellation.IsCancellationRequested)
        {
            status = AgentTaskStatus.Cancelled;
            failure = new AiSwitchException(ErrorId.TaskCancelled, $"Task '{task.Id}' was cancelled: {entry.CancelReason}.", task.Id);
            output = TaskOutput.Failed(failure.Message);
        }
        catch (AiSwitchException e) when (e.Id == ErrorId.TaskDependenciesNotMet)
        {
            status = AgentTaskStatus.Failed;
            failure = e;
            output = TaskOutput.Failed(e.Message);
        }
        catch (Exception e)
        {
            Log($"task {task.Id} failed: {e}");
            status = AgentTaskStatus.Failed;
            output = TaskOutput.Failed(e is AiSwitchException ? e.Message : $"The agent failed: {e.GetType().Name}: {e.Message}");
        }

        var result = new AgentTaskResult
        {
            TaskId = task.Id,
            Success = status == AgentTaskStatus.Completed,
            Result = output.Text,
            Error = output.Error,
            TokensUsed = output.Usage,
            ExecutionTimeMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            CompletedAt = _clock.GetUtcNow(),
            Metadata = new Dictionary<string, JsonElement>
            {
                ["agent_id"] = TextElement(_agentId),
                ["preset"] = TextElement(environment.Preset),
            },
        };
        return (status, result, failure);
    }

    /// <summary>A JSON string, made once per distinct text (agent ids and preset names are few): results are built per task.</summary>
    private JsonElement TextElement(string text) =>
        _textElements.GetOrAdd(text, static t => JsonSerializer.SerializeToElement(t, AgentJsonContext.Default.String));

    private static async Task WaitForDependenciesAsync(TaskEntry entry, IReadOnlyList<TaskEntry> dependencies)
    {
        foreach (var dependency in dependencies)
        {
            await dependency.Finished.WaitAsync(entry.Cancellation.Token).ConfigureAwait(false);
        }

        var unmet = dependencies.Where(d => d.Status != AgentTaskStatus.Completed).Select(d => d.Task.Id).ToList();
        if (unmet.Count > 0)
        {
            throw TaskRegistry.UnmetDependencies(entry.Task.Id, unmet);
        }
    }

    /// <summary>
    /// tokens.usage goes out in the background; the task's final event is queued, and the returned task completes once it
    /// was sent (or could not be: a failed event is logged and never fails the task).
    /// </summary>
    private Task ReportFinished(TaskEntry entry, AgentTaskStatus status, AgentTaskResult result)
    {
        if (result.TokensUsed is { } usage && (usage.InputTokens | usage.OutputTokens | usage.TotalTokens) != 0)
        {
            InBackground("tokens.usage", cancellationToken => _coordinator.ReportTokenUsageAsync(entry.Task.Id, usage, cancellationToken));
        }

        var eventType = status switch
        {
            AgentTaskStatus.Completed => "task.completed",
            AgentTaskStatus.Cancelled or AgentTaskStatus.Timeout => "task.cancelled",
            _ => "task.failed",
        };
        return Publish(eventType, entry.Task.Id, status);
    }

    private async ValueTask<CancelTaskResult> CancelAsync(CancelTaskParams parameters, CancellationToken cancellationToken)
    {
        var entry = _tasks.Get(parameters.TaskId);
        if (entry.Cancel(string.IsNullOrWhiteSpace(parameters.Reason) ? "task.cancel" : parameters.Reason))
        {
            // Answer once the task has really stopped, so the caller sees its final state.
            await entry.Finished.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new CancelTaskResult { TaskId = entry.Task.Id, Status = entry.Status, CancelledAt = _clock.GetUtcNow() };
    }

    private static TaskStatusResult TaskStatusOf(TaskEntry entry) => new()
    {
        Task = entry.Task,
        Status = entry.Status,
        Progress = entry.Progress,
        Result = entry.Result,
        UpdatedAt = entry.UpdatedAt,
    };

    /// <summary>task.result waits for a running task to finish (the caller can cancel the wait); metadata only on request.</summary>
    private async ValueTask<AgentTaskResult> ResultAsync(TaskResultParams parameters, CancellationToken cancellationToken)
    {
        var result = await _tasks.Get(parameters.TaskId).Finished.WaitAsync(cancellationToken).ConfigureAwait(false);
        return parameters.IncludeMetadata == true ? result : WithoutMetadata(result);
    }

    private static AgentTaskResult WithoutMetadata(AgentTaskResult result) => new()
    {
        TaskId = result.TaskId,
        Success = result.Success,
        Result = result.Result,
        Error = result.Error,
        TokensUsed = result.TokensUsed,
        ExecutionTimeMs = result.ExecutionTimeMs,
        CompletedAt = result.CompletedAt,
    };
}
