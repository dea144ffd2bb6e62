using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Home;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Locking;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Tasks;

/// <summary>
/// The task engine: runs a request's tasks on its agents (parallel, sequential, chain or distributed), with
/// per-attempt timeouts, retries on retryable failures, fallback agents, dependencies, priorities and the
/// coordination mode's directory rules. Results stream out as each task finishes. One per session.
/// </summary>
internal sealed partial class TaskOperations
{
    private readonly ITaskAgents _agents;
    private readonly AiHome _home;
    private readonly TimeProvider _clock;
    private readonly DirectoryCoordination _directories;
    private readonly TaskBoard _board;
    private readonly string _sessionId;

    // Every unit this session has planned, by task id: DependsOn waits on these, across requests.
    private readonly ConcurrentDictionary<string, TaskCompletionSource<TaskResult>> _units = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _batchOf = new(StringComparer.Ordinal);

    public TaskOperations(AiHome home, ITaskAgents agents, LockOperations locks, TimeProvider? clock = null, string? sessionId = null)
    {
        _home = home;
        _agents = agents;
        _clock = clock ?? TimeProvider.System;
        _directories = new DirectoryCoordination(home, locks);
        _board = new TaskBoard(home);
        _sessionId = sessionId ?? Guid.NewGuid().ToString();
    }

    /// <summary>The session's engine, over the session's agents and locks.</summary>
    public static TaskOperations For(AiSession session) => session.GetService(s => new TaskOperations(
        s.Home, new RegistryTaskAgents(AgentRegistry.For(s)), LockOperations.For(s), s.Clock, s.Id.ToString())
    {
        Admission = new QuotaAdmission(Usage.QuotaGuard.For(s), CoordinatorLog.For(s)),
        Ledger = Usage.TokenLedger.For(s),
        Circuits = new AgentCircuits(s.Home, s.Clock),
        Log = CoordinatorLog.For(s),
    });

    /// <summary>Each agent's circuit breaker: distribution skips open agents, and every attempt reports to it; null routes as planned.</summary>
    public AgentCircuits? Circuits { get; set; }

    /// <summary>Checked before every attempt (quotas); null admits everything.</summary>
    public ITaskAdmission? Admission { get; set; }

    /// <summary>Where task starts and ends are recorded (logs/coordinator.jsonl); null records nothing.</summary>
    internal CoordinatorLog? Log { get; init; }

    /// <summary>Raised on a pool thread for every finished task.</summary>
    public event EventHandler<TaskFinishedEventArgs>? TaskFinished;

    public ITaskAgents Agents => _agents;

    /// <summary>The session this engine belongs to, as the board records it on the tasks it owns.</summary>
    internal string SessionId => _sessionId;

    /// <summary>How often a running request updates state/tasks.json between its first and last write.</summary>
    internal TimeSpan BoardInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>What a request would run, without running or spending anything (-WhatIf).</summary>
    public IReadOnlyList<TaskUnit> Plan(InvokeTaskRequest request)
    {
        request = Resolve(request);
        CheckPreset(request);
        return TaskPlanner.Plan(request, _agents, BatchIdOf(request));
    }

    /// <summary>
    /// Hands the request to another process: checks it (unknown agents and bad values fail here, before anything starts),
    /// gives it its batch id, starts the owner with <paramref name="startOwner"/> (which gets the request with that id and
    /// returns the owner's pid) and records the batch as Pending so it can be followed at once; the run's own record
    /// replaces it (and wins if it came first).
    /// </summary>
    public AiTask RecordPending(InvokeTaskRequest request, Func<InvokeTaskRequest, int> startOwner)
    {
        var batchId = BatchIdOf(request);
        request = Resolve(request) with { BatchId = batchId };
        var total = Plan(request).Count;
        var ownerPid = startOwner(request);
        var task = new AiTask
        {
            TaskId = batchId,
            Status = TaskState.Pending,
            Agents = string.Join(", ", request.Agents),
            Total = total,
            StartedAt = _clock.GetUtcNow(),
            OwnerPid = ownerPid,
            Prompt = Shorten(request.Tasks[0].Prompt),
            Mode = request.ResolvedMode,
        };
        _board.PutIfAbsent(task);
        return task;
    }

    /// <summary>The batch a task id of this session belongs to ("t-1.claude" → "t-1"), or null.</summary>
    public string? BatchOf(string taskId) => _batchOf.GetValueOrDefault(taskId);

    /// <summary>Every batch of every session, from state/tasks.json.</summary>
    public IReadOnlyList<AiTask> ListBatches() => _board.Read();

    /// <summary>Runs the request; each result is yielded as soon as its task finishes. Cancellation yields the rest as Cancelled.</summary>
    public async IAsyncEnumerable<TaskResult> InvokeAsync(InvokeTaskRequest request, IOperationContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batchId = BatchIdOf(request);
        request = Resolve(request);
        CheckPreset(request);
        var planned = TaskPlanner.Plan(request, _agents, batchId);
        var units = new List<TaskUnit>();
        foreach (var unit in planned)
        {
            if (await context.ShouldProcessAsync(unit.Agent ?? string.Join(", ", request.Agents), $"Run task '{unit.TaskId}' ({Shorten(unit.Prompt)})", cancellationToken).ConfigureAwait(false))
            {
                units.Add(unit);
            }
        }

        if (units.Count == 0)
        {
            yield break;
        }

        Register(units);
        var run = new BatchRun(this, request, units, context, batchId);
        await using (run.ConfigureAwait(false))
        {
            await foreach (var result in run.RunAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
    }

    /// <summary>
    /// The id a request runs under (Get-AiTask's, the board's, the results file's): its own, else the id the user gave its
    /// one task (Start-AiTask -TaskId my-task is my-task), else a new one.
    /// </summary>
    internal static string BatchIdOf(InvokeTaskRequest request) =>
        request.BatchId ?? (request.Tasks is [{ TaskId: { } given }] ? given : NewBatchId());

    /// <summary>
    /// The request with what it leaves open filled in from config/coordination.yaml: the mode, the throttle and the
    /// directory wait. Idempotent, so every entry point can call it.
    /// </summary>
    internal InvokeTaskRequest Resolve(InvokeTaskRequest request)
    {
        if (request.Mode is not null && request.ThrottleLimit > 0 && request.DirectoryLockTimeout is not null)
        {
            return request;
        }

        var config = CoordinationConfig.Load(_home);
        return request with
        {
            Mode = request.Mode ?? config.DefaultMode,
            ThrottleLimit = request.ThrottleLimit > 0 ? request.ThrottleLimit : config.ThrottleLimit,
            DirectoryLockTimeout = request.DirectoryLockTimeout ?? config.DirectoryLockTimeout,
        };
    }

    internal static string NewBatchId() => "t-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A preset named for the run must exist before anything starts (PresetNotFound names the known ones).</summary>
    private void CheckPreset(InvokeTaskRequest request)
    {
        if (request.Preset is { } preset)
        {
            new Presets.PresetStore(_home, _clock).GetDefinition(preset);
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private void Register(IReadOnlyList<TaskUnit> units)
    {
        foreach (var unit in units)
        {
            if (_units.TryGetValue(unit.TaskId, out var existing) && !existing.Task.IsCompleted)
            {
                throw new AiSwitchException(ErrorId.TaskAlreadyExists,
                    $"Task '{unit.TaskId}' is still running in this session. Give the new task another TaskId, or wait for it with Wait-AiTask.", unit.TaskId);
            }
        }

        foreach (var unit in units)
        {
            _units[unit.TaskId] = new TaskCompletionSource<TaskResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _batchOf[unit.TaskId] = unit.BatchId;
        }
    }

    private void Finish(TaskResult result)
    {
        if (_units.TryGetValue(result.TaskId, out var completion))
        {
            completion.TrySetResult(result);
        }

        Log?.TaskEnded(result);
        TaskFinished?.Invoke(this, new TaskFinishedEventArgs(result));
    }

    /// <summary>The units a dependency id names: the task itself, its per-agent units ("id.agent"), or a whole batch.</summary>
    private List<TaskCompletionSource<TaskResult>> Matching(string dependency) =>
        [.. _units.Where(u => u.Key == dependency || u.Key.StartsWith(dependency + ".", StringComparison.Ordinal) || _batchOf.GetValueOrDefault(u.Key) == dependency)
            .Select(u => u.Value)];

    private enum Readiness
    {
        Ready,
        Waiting,
        Blocked,
    }

    private (Readiness State, string? Reason, Task? Wait) CheckDependencies(TaskUnit unit, IReadOnlyDictionary<string, TaskResult> finished)
    {
        if (unit.After is { } after && !finished.ContainsKey(after))
        {
            return (Readiness.Waiting, null, null);
        }

        if (unit.ContextFrom is { } from)
        {
            if (!finished.TryGetValue(from, out var previous))
            {
                return (Readiness.Waiting, null, null);
            }

            if (!previous.Success)
            {
                return (Readiness.Blocked, $"Task '{unit.TaskId}' on '{unit.Agent}' needs the output of '{from}' in the chain, which ended {previous.Status} ({previous.ErrorId}). Fix that agent or drop it from the chain.", null);
            }
        }

        foreach (var dependency in unit.DependsOn)
        {
            var matching = Matching(dependency);
            if (matching.Count == 0)
            {
                return (Readiness.Blocked, $"Task '{unit.TaskId}' depends on '{dependency}', which this session does not know. Start '{dependency}' first, or correct -DependsOn.", null);
            }

            var failed = matching.Where(m => m.Task.IsCompleted && !m.Task.Result.Success).Select(m => m.Task.Result).FirstOrDefault();
            if (failed is not null)
            {
                return (Readiness.Blocked, $"Task '{unit.TaskId}' depends on '{failed.TaskId}', which ended {failed.Status} ({failed.ErrorId}). Fix and rerun '{failed.TaskId}' first.", null);
            }

            var open = matching.Where(m => !m.Task.IsCompleted).Select(m => (Task)m.Task).ToList();
            if (open.Count > 0)
            {
                return (Readiness.Waiting, null, Task.WhenAny(open));
            }
        }

        return (Readiness.Ready, null, null);
    }

    private TimeSpan Backoff(InvokeTaskRequest request, int retry)
    {
        var exponential = request.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, retry);
        var jittered = exponential * (1 + (Random.Shared.NextDouble() * 0.5));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, request.RetryMaxDelay.TotalMilliseconds));
    }
}
