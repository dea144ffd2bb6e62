using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Hosting;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Tasks;

internal sealed partial class TaskOperations
{
    /// <summary>
    /// One request in flight. A single loop owns the queue: it starts ready units by priority while the throttle
    /// and each agent's MaxConcurrency allow, and yields results as the units report them.
    /// </summary>
    private sealed class BatchRun : IAsyncDisposable
    {
        private readonly TaskOperations _owner;
        private readonly InvokeTaskRequest _request;
        private readonly IReadOnlyList<TaskUnit> _units;
        private readonly IOperationContext _context;
        private readonly string _batchId;
        private readonly CancellationTokenSource _stop = new();
        private readonly Channel<(TaskUnit Unit, string Agent, TaskResult Result)> _completions = Channel.CreateUnbounded<(TaskUnit, string, TaskResult)>();
        private readonly Dictionary<string, int> _load = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, TaskResult> _finished = new(StringComparer.Ordinal);
        private readonly Dictionary<string, AgentDefinition> _definitions;
        private readonly CoordinationConfig _coordination;
        private readonly AgentCircuits? _circuits;
        private readonly DateTimeOffset _startedAt;
        private DateTimeOffset _boardWrittenAt = DateTimeOffset.MinValue;
        private int _running;
        private bool _done;

        public BatchRun(TaskOperations owner, InvokeTaskRequest request, IReadOnlyList<TaskUnit> units, IOperationContext context, string batchId)
        {
            _owner = owner;
            _request = request;
            _units = units;
            _context = context;
            _batchId = batchId;
            _startedAt = owner._clock.GetUtcNow();
            _coordination = CoordinationConfig.Load(owner._home);
            _circuits = owner.Circuits is { } circuits ? _coordination.Circuits(circuits) : null;

            // Read once: the registry's list may come from a file, and the scheduler looks agents up on every turn.
            _definitions = owner._agents.Definitions.GroupBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);
        }

        public async IAsyncEnumerable<TaskResult> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var registration = cancellationToken.Register(_stop.Cancel);
            var stopped = Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            var pending = _units.ToList();
            var outbox = new List<TaskResult>();
            WriteBoard(force: true);
            while (pending.Count > 0 || _running > 0)
            {
                Task? externalWait = null;
                var started = false;
                if (_stop.IsCancellationRequested)
                {
                    outbox.AddRange(pending.Select(unit => Complete(unit, unit.Agent ?? string.Empty, Cancelled(unit, unit.Agent ?? string.Empty, null))));
                    pending.Clear();
                }
                else
                {
                    // One read of the circuits per turn: every distributed unit consults them.
                    var circuits = _request.Mode == TaskMode.Distribute ? _circuits?.Snapshot() : null;
                    foreach (var unit in pending.OrderByDescending(u => u.Priority).ThenBy(u => u.Order).ToList())
                    {
                        var (state, reason, wait) = _owner.CheckDependencies(unit, _finished);
                        if (unit.Unassignable is not null || state == Readiness.Blocked)
                        {
                            pending.Remove(unit);
                            var error = unit.Unassignable is { } problem
                                ? new AiSwitchException(ErrorId.AgentNotFound, problem, unit.TaskId)
                                : new AiSwitchException(ErrorId.TaskDependenciesNotMet, reason!, unit.TaskId);
                            outbox.Add(Complete(unit, unit.Agent ?? string.Empty, TaskResults.Unfinished(unit, unit.Agent ?? string.Empty, TaskState.Failed, error)));
                            continue;
                        }

                        if (state == Readiness.Waiting)
                        {
                            externalWait ??= wait;
                            continue;
                        }

                        if (_request.ThrottleLimit > 0 && _running >= _request.ThrottleLimit)
                        {
                            break;
                        }

                        var (agent, refused) = Route(unit, circuits);
                        if (refused is not null)
                        {
                            pending.Remove(unit);
                            outbox.Add(Complete(unit, unit.Agent ?? string.Empty, TaskResults.Unfinished(unit, unit.Agent ?? string.Empty, TaskState.Failed, refused)));
                            continue;
                        }

                        if (agent is null || !HasRoom(agent))
                        {
                            continue;
                        }

                        if (circuits?.GetValueOrDefault(agent) is { State: not CircuitState.Closed })
                        {
                            // Not closed but due: this unit is the probe, if no other session claimed it first.
                            var claimed = _circuits!.TryAdmit(agent);
                            circuits = _circuits.Snapshot();
                            if (!claimed)
                            {
                                continue;
                            }
                        }

                        pending.Remove(unit);
                        Start(unit, agent);
                        started = true;
                    }

                    if (!started && _running == 0 && externalWait is null && pending.Count > 0)
                    {
                        // Nothing runs and nothing outside can wake us: what is left can never start.
                        foreach (var unit in pending)
                        {
                            var error = new AiSwitchException(ErrorId.TaskDependenciesNotMet,
                                $"Task '{unit.TaskId}' waits for tasks that can no longer finish. Check its -DependsOn ids.", unit.TaskId);
                            outbox.Add(Complete(unit, unit.Agent ?? string.Empty, TaskResults.Unfinished(unit, unit.Agent ?? string.Empty, TaskState.Failed, error)));
                        }

                        pending.Clear();
                    }
                }

                foreach (var result in outbox)
                {
                    yield return result;
                }

                outbox.Clear();
                if (pending.Count == 0 && _running == 0)
                {
                    break;
                }

                if (!_completions.Reader.TryPeek(out _))
                {
                    var waits = new List<Task> { _completions.Reader.WaitToReadAsync().AsTask() };
                    if (!_stop.IsCancellationRequested)
                    {
                        waits.Add(stopped);
                    }

                    if (externalWait is not null)
                    {
                        waits.Add(externalWait);
                    }

                    await Task.WhenAny(waits).ConfigureAwait(false);
                }

                while (_completions.Reader.TryRead(out var done))
                {
                    _running--;
                    _load[done.Agent]--;
                    yield return Complete(done.Unit, done.Agent, done.Result);
                }
            }

            _done = true;
            StoreResults([.. _finished.Values]);
            WriteBoard(force: true);
        }

        public ValueTask DisposeAsync()
        {
            if (!_done)
            {
                // The consumer stopped listening: stop the agents, and let dependents elsewhere see these tasks as cancelled.
                _stop.Cancel();
                var cancelled = _units.Where(u => !_finished.ContainsKey(u.TaskId)).Select(u => Cancelled(u, u.Agent ?? string.Empty, null)).ToList();
                foreach (var result in cancelled)
                {
                    _owner.Finish(result);
                }

                _done = true;
                StoreResults([.. _finished.Values, .. cancelled]);
                WriteBoard(force: true);
            }

            _stop.Dispose();
            return ValueTask.CompletedTask;
        }

        private bool HasRoom(string agent) => _load.GetValueOrDefault(agent) < _coordination.LimitFor(_definitions[agent]);

        private string? LeastBusy(IEnumerable<string> names)
        {
            var pool = names.Select(name => _definitions[name]).Where(a => HasRoom(a.Name)).ToList();
            return pool.Count == 0 ? null : pool.MinBy(a => (double)_load.GetValueOrDefault(a.Name) / _coordination.LimitFor(a))!.Name;
        }

        /// <summary>
        /// The agent a unit goes to now: its planned one, or for a distributed unit the strategy's first candidate whose
        /// circuit admits it (least busy among them under LeastBusy). Null waits for room; every circuit open refuses it.
        /// </summary>
        private (string? Agent, AiSwitchException? Refused) Route(TaskUnit unit, IReadOnlyDictionary<string, CircuitView>? circuits)
        {
            if (unit.Candidates is not { } candidates || circuits is null)
            {
                return (unit.Agent ?? LeastBusy(unit.Candidates ?? _request.Agents), null);
            }

            var admitted = candidates.Where(name => circuits.GetValueOrDefault(name)?.Admits ?? true).ToList();
            if (admitted.Count == 0)
            {
                var open = candidates.Select(name => circuits[name]).Select(c =>
                    $"'{c.Agent}' ({c.State}, {c.Failures} failure(s) in a row, next probe at {c.ProbeAt:yyyy-MM-dd HH:mm:ss}Z{(c.LastError is { } last ? $"; last error: {last}" : string.Empty)})");
                return (null, new AiSwitchException(ErrorId.AgentCircuitOpen,
                    $"Task '{unit.TaskId}' has no agent to go to: the circuit of every agent it may use is open after failures: {string.Join("; ", open)}. " +
                    "Fix the agents (Get-AiAgent shows their last error), wait for the probe time, or add a healthy agent to -Agent.", unit.TaskId));
            }

            return (unit.Agent is null ? LeastBusy(admitted) : admitted[0], null);
        }

        private void Start(TaskUnit unit, string agent)
        {
            _running++;
            _load[agent] = _load.GetValueOrDefault(agent) + 1;
            var context = unit.ContextFrom is { } from ? _finished[from].Output : null;
            _ = Task.Run(async () =>
            {
                TaskResult result;
                try
                {
                    result = await RunUnitAsync(unit, agent, context, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    result = TaskResults.Unfinished(unit, agent, TaskState.Failed,
                        new AiSwitchException(ErrorId.InternalError, $"Task '{unit.TaskId}' on '{agent}' failed unexpectedly: {ex.Message}", unit.TaskId, ex));
                }

                _completions.Writer.TryWrite((unit, agent, result));
            });
        }

        private TaskResult Complete(TaskUnit unit, string agent, TaskResult result)
        {
            _finished[unit.TaskId] = result;
            _owner.Finish(result);
            _context.WriteProgress(new OperationProgress(unit.Order + 1, Activity(unit, agent), result.Status.ToString(), 100, Completed: true));
            WriteBoard(force: false);
            return result;
        }

        private static string Activity(TaskUnit unit, string agent) => $"{(agent.Length == 0 ? "task" : agent)}: {unit.TaskId}";

        private async Task<TaskResult> RunUnitAsync(TaskUnit unit, string agentName, string? chainContext, CancellationToken cancellationToken)
        {
            var candidates = new List<string> { agentName };
            candidates.AddRange(_request.Fallback.Where(f => !string.Equals(f, agentName, StringComparison.OrdinalIgnoreCase)));
            var attempt = 0;
            TaskResult? last = null;
            foreach (var name in candidates)
            {
                // A fallback whose circuit is open would most likely fail the same way: skip it (unless it is due a probe).
                if (last is not null && _circuits is { } circuits && !circuits.TryAdmit(name))
                {
                    _context.WriteVerbose($"Task '{unit.TaskId}': fallback agent '{name}' skipped, its circuit is open (Get-AiAgent {name} shows why and when it is probed).");
                    continue;
                }

                if (last is not null)
                {
                    _context.WriteVerbose($"Task '{unit.TaskId}' ended {last.Status} on '{last.Agent}' ({last.ErrorId}); falling back to '{name}'.");
                }

                var agent = _definitions[name];
                for (var retry = 0; ; retry++)
                {
                    attempt++;
                    var (result, retryable) = await AttemptAsync(unit, agent, attempt, chainContext, cancellationToken).ConfigureAwait(false);
                    last = result;
                    if (result.Status is TaskState.Completed or TaskState.Cancelled)
                    {
                        return result;
                    }

                    if (!retryable || retry >= _request.Retry)
                    {
                        break;
                    }

                    var delay = _owner.Backoff(_request, retry);
                    _context.WriteVerbose($"Task '{unit.TaskId}' on '{agent.Name}' failed with a retryable error ({result.ErrorId}); retry {retry + 1} of {_request.Retry} in {delay.TotalMilliseconds:0} ms.");
                    try
                    {
                        await Task.Delay(delay, _owner._clock, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return Cancelled(unit, agent.Name, null);
                    }
                }
            }

            return last!;
        }

        private async Task<(TaskResult Result, bool Retryable)> AttemptAsync(TaskUnit unit, AgentDefinition agent, int attempt, string? chainContext, CancellationToken cancellationToken)
        {
            var clock = _owner._clock;
            var activity = Activity(unit, agent.Name);
            _context.WriteProgress(new OperationProgress(unit.Order + 1, activity, $"Starting (attempt {attempt})"));
            _owner.Log?.TaskStarted(unit.TaskId, _batchId, agent.Name, attempt);
            // The preset is the run's until the registry says which one the agent's environment was really built from.
            var info = new TaskAttemptInfo(attempt, clock.GetUtcNow(), clock.GetUtcNow(), _request.Preset, agent.Model, unit.WorkingDirectory);
            ITaskWorkspace workspace;
            try
            {
                if (_owner.Admission is { } admission)
                {
                    await admission.AdmitAsync(agent, unit.TaskId, cancellationToken).ConfigureAwait(false);
                }

                workspace = await _owner._directories.EnterAsync(_request.CoordinationMode, unit.WorkingDirectory, $"{unit.TaskId}-{attempt}", _request.DirectoryLockTimeout ?? _coordination.DirectoryLockTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return (Cancelled(unit, agent.Name, info), false);
            }
            catch (AiSwitchException ex)
            {
                return (TaskResults.Unfinished(unit, agent.Name, TaskState.Failed, ex, info), false);
            }

            await using (workspace.ConfigureAwait(false))
            {
                var timeout = TaskTimeouts.Resolve(_request.Timeout, agent);
                using var timer = timeout is { } limit ? new CancellationTokenSource(limit, clock) : new CancellationTokenSource();
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
                var task = new AgentTask
                {
                    Id = unit.TaskId,
                    Prompt = unit.Prompt,
                    SystemPrompt = unit.SystemPrompt,
                    MaxTokens = unit.MaxTokens,
                    Temperature = unit.Temperature,
                    Priority = unit.Priority,
                    ChainMode = unit.ContextFrom is not null,
                    Context = chainContext,
                };
                if (timeout is { } seconds)
                {
                    task.Timeout = seconds.TotalSeconds;
                }

                var started = clock.GetUtcNow();
                AgentRunResult? run = null;
                AiSwitchException? error = null;
                var observer = new ProgressObserver(_context, unit.Order + 1, activity, attempt);
                try
                {
                    run = await _owner._agents.RunAsync(agent, task, new TaskRunPlace(workspace.WorkingDirectory, _request.Preset), observer, linked.Token).ConfigureAwait(false);
                }
                catch (RunCancelledException ex) when (linked.IsCancellationRequested)
                {
                    run = ex.Partial;
                }
                catch (OperationCanceledException) when (linked.IsCancellationRequested)
                {
                }
                catch (AiSwitchException ex)
                {
                    error = ex;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    error = new AiSwitchException(ErrorId.InternalError, $"Agent '{agent.Name}' failed on task '{unit.TaskId}': {ex.Message}", agent.Name, ex);
                }

                info = info with { StartedAt = started, CompletedAt = clock.GetUtcNow(), Preset = observer.Place is { } place ? place.Preset : info.Preset };
                var succeeded = run is { Success: true };
                var cancelled = !succeeded && cancellationToken.IsCancellationRequested;
                var timedOut = !succeeded && !cancelled && timer.IsCancellationRequested;
                if (!cancelled && _circuits is { } circuits)
                {
                    ReportToCircuit(circuits, agent.Name, succeeded, timedOut, run, error);
                }

                if (run is not null)
                {
                    _owner.RecordUsage(unit, agent, run, info, _request.ResolvedMode, _context, cancelled ? "cancelled" : timedOut ? "timeout" : null);
                }
                if (_request.CoordinationMode == TaskCoordinationMode.Isolated && !cancelled && !timedOut)
                {
                    // The attempt ended Completed or Failed: its changes go into the result.
                    var (files, diff) = await workspace.CollectChangesAsync(CancellationToken.None).ConfigureAwait(false);
                    info = info with { ChangedFiles = files, Diff = diff };
                }

                TaskResult result;
                if (cancelled)
                {
                    result = Cancelled(unit, agent.Name, info);
                }
                else if (timedOut)
                {
                    result = TaskResults.Unfinished(unit, agent.Name, TaskState.Timeout, new AiSwitchException(ErrorId.TaskTimeout,
                        $"Task '{unit.TaskId}' on agent '{agent.Name}' did not finish within {timeout!.Value.TotalSeconds:0.###} s (attempt {attempt}); its processes were stopped. Raise -Timeout, or give -Fallback agents.",
                        unit.TaskId), info);
                }
                else if (error is not null || run is null)
                {
                    result = TaskResults.Unfinished(unit, agent.Name, TaskState.Failed, error ?? new AiSwitchException(ErrorId.InternalError, $"Agent '{agent.Name}' returned no result for task '{unit.TaskId}'.", agent.Name), info);
                }
                else
                {
                    result = TaskResults.FromRun(unit, agent.Name, run, info);
                }

                return (result, run is { Success: false, Retryable: true } && result.Status == TaskState.Failed);
            }
        }

        /// <summary>
        /// An attempt's outcome, for the agent's circuit. An agent that cannot start (command missing, start failed) is
        /// down: its circuit opens at once rather than after more tasks find out the same way.
        /// </summary>
        private void ReportToCircuit(AgentCircuits circuits, string agent, bool succeeded, bool timedOut, AgentRunResult? run, AiSwitchException? error)
        {
            try
            {
                if (succeeded)
                {
                    circuits.Succeeded(agent);
                    return;
                }

                var id = error?.Id ?? run?.ErrorId;
                var reason = timedOut ? "the task timed out" : error?.Message ?? run?.Error ?? "the agent returned no result";
                circuits.Failed(agent, reason, down: id is ErrorId.AgentCommandNotFound or ErrorId.AgentInitializationFailed);
            }
            catch (Exception ex) when (ex is AiSwitchException or IOException or UnauthorizedAccessException)
            {
                // The task's own result matters more than the breaker's bookkeeping.
                _context.WriteWarning($"The circuit of agent '{agent}' could not be updated: {ex.Message}");
            }
        }

        private static TaskResult Cancelled(TaskUnit unit, string agent, TaskAttemptInfo? info) => TaskResults.Unfinished(unit, agent, TaskState.Cancelled,
            new AiSwitchException(ErrorId.TaskCancelled, $"Task '{unit.TaskId}' was cancelled before it finished{(agent.Length > 0 ? $" on '{agent}'" : string.Empty)}. Run it again to get its result.", unit.TaskId), info);

        /// <summary>
        /// Leaves every result in <c>state/tasks/ID.results.json</c> before the board says the task has ended, so any session
        /// can wait for it and receive them (Wait-AiTask waits for that file). A file that cannot be written is a warning.
        /// </summary>
        private void StoreResults(List<TaskResult> results)
        {
            var files = new TaskFiles(_owner._home);
            try
            {
                // The run's request and any cancel request go first: once the results are there, the task has ended.
                files.Finished(_batchId);
                files.Results(_batchId).Write(new TaskResultsFile { Results = results }, durable: false);
            }
            catch (Exception ex) when (ex is AiSwitchException or IOException or UnauthorizedAccessException)
            {
                _context.WriteWarning($"The results of task '{_batchId}' could not be written to {files.Directory}: {ex.Message} Other sessions cannot receive them; this one has them.");
            }
        }

        private void WriteBoard(bool force)
        {
            var now = _owner._clock.GetUtcNow();
            // The loop writes the file itself, so between start and end it does so at most once per interval: a write per
            // result would cost a fan-out of 50 agents a quarter of a second.
            if (!force && now - _boardWrittenAt < _owner.BoardInterval)
            {
                return;
            }

            _boardWrittenAt = now;
            var finished = _finished.Values.ToList();
            var cancelled = _stop.IsCancellationRequested;
            _owner._board.Put(new AiTask
            {
                TaskId = _batchId,
                Status = !_done ? TaskState.Running : cancelled ? TaskState.Cancelled : finished.All(r => r.Success) ? TaskState.Completed : TaskState.Failed,
                Progress = _units.Count == 0 ? 100 : finished.Count * 100 / _units.Count,
                Agents = string.Join(", ", _units.Select(u => u.Agent).OfType<string>().Concat(_request.Agents).Distinct(StringComparer.OrdinalIgnoreCase)),
                Total = _units.Count,
                Succeeded = finished.Count(r => r.Success),
                Failed = finished.Count(r => !r.Success),
                StartedAt = _startedAt,
                CompletedAt = _done ? now : null,
                OwnerPid = Environment.ProcessId,
                SessionId = _owner._sessionId,
                Prompt = Shorten(_units[0].Prompt),
                Mode = _request.ResolvedMode,
            });
        }
    }

    /// <summary>
    /// Turns an agent's run events into its progress record and -Verbose lines (the preset, folder and log the registry
    /// chose; the process and its command line), and keeps the preset the agent really got for the result and the ledger.
    /// </summary>
    private sealed class ProgressObserver(IOperationContext context, int activityId, string activity, int attempt) : IAgentRunObserver
    {
        /// <summary>The preset the agent's environment was built from, once the registry has prepared it.</summary>
        public AgentRunPlace? Place { get; private set; }

        public void OnPrepared(AgentRunPlace place)
        {
            Place = place;
            context.WriteVerbose($"{activity} (attempt {attempt}): {(place.Preset is { } preset ? $"preset '{preset}'" : "no preset")}, working folder '{place.WorkingDirectory}', log '{place.LogFile}'.");
        }

        public void OnProcess(AgentProcess process) =>
            context.WriteVerbose($"{activity} (attempt {attempt}): process {process.Pid}: {process.CommandLine ?? "(command line unknown)"}" +
                (process.LogFile is { } log ? $"; its stderr goes to '{log}'." : "."));

        public void OnStarted(int? pid) => context.WriteProgress(new OperationProgress(activityId, activity, pid is { } p ? $"Running (attempt {attempt}, pid {p})" : $"Running (attempt {attempt})"));

        public void OnFirstToken() => context.WriteProgress(new OperationProgress(activityId, activity, $"Answering (attempt {attempt})"));

        public void OnText(string delta)
        {
        }

        public void OnEvent(string kind) => context.WriteProgress(new OperationProgress(activityId, activity, $"{kind} (attempt {attempt})"));

        public void OnProgress(double percent)
        {
            var whole = (int)Math.Clamp(Math.Round(percent), 0, 100);
            context.WriteProgress(new OperationProgress(activityId, activity, $"Running (attempt {attempt}, {whole}%)", whole));
        }
    }
}
