using System.Diagnostics;
using System.Globalization;
using AiSwitch.Core.Locking;
using AiSwitch.Protocol;
using AiSwitch.Rpc;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// One running JSON-RPC agent: its supervised process and the connection over its stdio. Tasks go out as task.assign
/// (answered when the task has finished) and their outcome comes back from task.result; up to the agent's
/// MaxConcurrency run at once. The methods the agent calls on us are in JsonRpcAgent.Served.cs. When the process exits
/// the connection is aborted at once, so every call still waiting fails with AgentNotResponding (-40004) immediately.
/// </summary>
internal sealed partial class JsonRpcAgent : ILongLivedAgent
{
    private static readonly string[] OfferedFeatures =
    [
        ProtocolFeatures.EnvSwitching, ProtocolFeatures.MetricsReporting, ProtocolFeatures.TokenReporting,
        ProtocolFeatures.Cancellation, ProtocolFeatures.Events, ProtocolFeatures.Heartbeat,
    ];

    private readonly AgentProcess _process;
    private readonly JsonRpcConnection _connection;
    private readonly JsonRpcAgentOptions _options;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _slots;
    private readonly LockOperations _locks;
    private readonly CoordinatorServices? _coordinator;
    private readonly TaskCompletionSource<AgentExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AgentLaunch _launch;
    private long _lastHeartbeatTicks;
    private int _rejectedLines;
    private string? _lastRejection;
    private string? _cutOff;
    private int _stopRequested;

    private JsonRpcAgent(AgentLaunch launch, AgentProcess process, JsonRpcAgentOptions options, TimeProvider clock)
    {
        _launch = launch;
        _process = process;
        _options = options;
        _clock = clock;
        _slots = new SemaphoreSlim(Math.Max(1, launch.Agent.MaxConcurrency));
        _locks = new LockOperations(launch.Home, clock, $"agent:{launch.Agent.Name}:{process.Pid}");
        _coordinator = launch.Coordinator;
        _connection = new JsonRpcConnection(process.Stdout, process.Stdin, new JsonRpcConnectionOptions
        {
            PeerName = $"agent '{launch.Agent.Name}'",
            Log = OnConnectionLog,
        });
        Touch();
        RegisterServedMethods();
    }

    public string Name => _launch.Agent.Name;

    public int? Pid => _process.Pid;

    /// <summary>The protocol version agreed in agent.initialize.</summary>
    public string ProtocolVersion { get; private set; } = string.Empty;

    /// <summary>The agent's supported_features from agent.initialize.</summary>
    public IReadOnlyList<string> Features { get; private set; } = [];

    /// <summary>The agent's own name and version (agent_info), when it gave one.</summary>
    public string? AgentInfo { get; private set; }

    public Task<AgentExit> Exited => _exited.Task;

    public DateTimeOffset? LastHeartbeat => new DateTimeOffset(Interlocked.Read(ref _lastHeartbeatTicks), TimeSpan.Zero);

    /// <summary>The launch the agent runs with now (replaced by a successful environment switch).</summary>
    public AgentLaunch Launch => Volatile.Read(ref _launch);

    internal static async Task<JsonRpcAgent> StartAsync(AgentLaunch launch, JsonRpcAgentOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var agent = launch.Agent;
        if (string.IsNullOrWhiteSpace(agent.Command))
        {
            throw new AiSwitchException(ErrorId.AgentInitializationFailed,
                $"Agent '{agent.Name}' (jsonrpc) names no command. Register it with Register-AiAgent -Name {agent.Name} -Adapter jsonrpc -Command PATH.",
                agent.Name);
        }

        var process = launch.Supervisor.Start(new ProcessLaunchRequest
        {
            AgentName = agent.Name,
            FileName = agent.Command,
            Arguments = agent.Arguments,
            Environment = launch.Environment,
            WorkingDirectory = launch.WorkingDirectory,
            RedirectStdin = true,
        });
        var running = new JsonRpcAgent(launch, process, options, clock);
        try
        {
            await running.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return running;
        }
        catch
        {
            // It never became an agent: no polite shutdown, which it would not understand either.
            process.KillTree();
            await running.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Healthy when the process lives, its heartbeats come, and it answers agent.status within StatusTimeout: a stuck
    /// agent whose heartbeat thread still runs fails the last. An agent that does not serve agent.status (-32601) is
    /// judged by its heartbeats alone; one that reports status "error" is unhealthy.
    /// </summary>
    public async ValueTask<AgentHealth> ProbeAsync(CancellationToken cancellationToken)
    {
        if (_exited.Task.IsCompleted)
        {
            return AgentHealth.Unhealthy(_exited.Task.Result.Reason);
        }

        var last = LastHeartbeat!.Value;
        var health = AgentHealth.FromHeartbeat(last, last, _clock.GetUtcNow(), _options.HeartbeatTimeout);
        if (!health.IsHealthy)
        {
            return AgentHealth.Unhealthy($"Agent '{Name}' (pid {Pid}) sent {health.Reason}; it is hung or too busy to answer.");
        }

        StatusResult status;
        try
        {
            status = await StatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AiSwitchException e) when (e.Id == ErrorId.RpcTimeout)
        {
            return AgentHealth.Unhealthy(string.Create(CultureInfo.InvariantCulture,
                $"Agent '{Name}' (pid {Pid}) did not answer agent.status within {_options.StatusTimeout.TotalSeconds:0.###} s, though its heartbeats still arrive: it is stuck."));
        }
        catch (AiSwitchException e) when (e.Id == ErrorId.RpcMethodNotFound)
        {
            return health;
        }
        catch (AiSwitchException e)
        {
            return AgentHealth.Unhealthy($"Agent '{Name}' (pid {Pid}) failed agent.status: {e.Message}");
        }

        return status.Status == AgentStatus.Error
            ? AgentHealth.Unhealthy($"Agent '{Name}' (pid {Pid}) reports status 'error' (agent.status).")
            : health;
    }

    /// <summary>Any protocol method on the agent (env.snapshot, task.status…), waiting at most <paramref name="timeout"/>.</summary>
    public Task<TResult> CallAsync<TParams, TResult>(JsonRpcMethod<TParams, TResult> method, TParams parameters, TimeSpan timeout, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(method, parameters, timeout, cancellationToken);

    /// <summary>agent.status, waiting at most StatusTimeout; an answer proves the agent alive like a heartbeat.</summary>
    public async Task<StatusResult> StatusAsync(CancellationToken cancellationToken)
    {
        var status = await _connection.InvokeAsync(AgentProtocol.AgentStatus, EmptyParams.Instance, _options.StatusTimeout, cancellationToken).ConfigureAwait(false);
        Touch();
        return status;
    }

    /// <summary>
    /// Runs one task: task.assign (answered when the task has finished), then task.result unless the answer carried it. Cancelling sends task.cancel
    /// and $/cancelRequest and returns at once; a crash fails the task with AgentNotResponding the moment the process exits.
    /// </summary>
    public async Task<AgentRunResult> RunAsync(AgentInvocation invocation, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(observer);
        var task = invocation.Task;
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        var watch = Watch(task.Id, observer);
        try
        {
            observer.OnProcess(_process);
            observer.OnStarted(Pid);
            using var onCancel = cancellationToken.Register(() => SendTaskCancel(task.Id));
            using var answered = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var progress = FollowProgressAsync(task.Id, observer, answered.Token);
            AssignTaskResult assigned;
            try
            {
                assigned = await _connection.InvokeAsync(AgentProtocol.TaskAssign, new AssignTaskParams { Task = task }, AnswerTimeout(task), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await answered.CancelAsync().ConfigureAwait(false);
                await progress.ConfigureAwait(false);
            }

            // SDK agents put the result in the answer (ext); others are asked for it.
            var result = assigned.Result is { } inline && inline.TaskId == task.Id
                ? inline
                : await _connection.InvokeAsync(AgentProtocol.TaskResult, new TaskResultParams { TaskId = task.Id }, _options.TaskAnswerGrace, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(result.Result))
            {
                watch.Output();
                observer.OnText(result.Result);
            }

            return Normalize(result, Stopwatch.GetElapsedTime(started)) with { TimeToFirstToken = watch.FirstToken };
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"The task '{task.Id}' on agent '{Name}' was cancelled.", cancellationToken);
        }
        catch (AiSwitchException e)
        {
            if (e.Id == ErrorId.AgentNotResponding)
            {
                // The connection closes the moment the output ends; the exit that tells a crash comes right after.
                await ((Task)_exited.Task).WaitAsync(TimeSpan.FromSeconds(1), _clock, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            return Failed(task, e, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            Unwatch(task.Id);
            _slots.Release();
        }
    }

    /// <summary>
    /// While task.assign is out, asks task.status every ProgressInterval and passes a changed progress to the observer
    /// (Write-Progress). Ends quietly when the call is answered, and for good when the agent does not serve task.status.
    /// </summary>
    private async Task FollowProgressAsync(string taskId, IAgentRunObserver observer, CancellationToken cancellationToken)
    {
        if (_options.ProgressInterval <= TimeSpan.Zero)
        {
            return;
        }

        double? last = null;
        try
        {
            using var timer = new PeriodicTimer(_options.ProgressInterval, _clock);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                TaskStatusResult status;
                try
                {
                    status = await _connection.InvokeAsync(AgentProtocol.TaskStatus, new TaskStatusParams { TaskId = taskId }, _options.StatusTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (AiSwitchException e) when (e.Id is ErrorId.RpcMethodNotFound or ErrorId.AgentNotResponding)
                {
                    return;
                }
                catch (AiSwitchException)
                {
                    continue; // not known yet, or slow this once: the next tick asks again
                }

                if (status.Progress is { } percent && percent != last)
                {
                    last = percent;
                    observer.OnProgress(percent);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The task was answered (or cancelled): nothing more to follow.
        }
    }

    /// <summary>
    /// env.switch with the new launch's complete environment: the agent applies it to tasks that start afterwards and
    /// never to one already running. EnvironmentSwitchFailed (-40202) when the agent refuses or is gone.
    /// </summary>
    public async Task SwitchEnvironmentAsync(AgentLaunch newLaunch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newLaunch);
        var preset = newLaunch.PresetName ?? "(none)";
        try
        {
            await SendEnvironmentAsync(newLaunch, _options.StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AiSwitchException e)
        {
            throw new AiSwitchException(ErrorId.EnvironmentSwitchFailed,
                $"Agent '{Name}' did not take the switch to preset '{preset}': {e.Message} It keeps its previous environment; " +
                "check the preset, or restart the agent with Restart-AiAgent to launch it with the new one.",
                Name, e);
        }

        Volatile.Write(ref _launch, newLaunch);
    }

    /// <summary>
    /// agent.restart, for an agent with the restart feature: it cancels its running tasks and goes back to how it started
    /// (preserve_state false); then the launch's environment is sent again (env.switch). False when the agent lacks the
    /// feature or the call failed, so that the caller restarts the process instead.
    /// </summary>
    public async Task<bool> RestartInPlaceAsync(AgentLaunch launch, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (!Features.Contains(ProtocolFeatures.Restart) || _exited.Task.IsCompleted)
        {
            return false;
        }

        try
        {
            await _connection.InvokeAsync(AgentProtocol.AgentRestart, new RestartParams { PreserveState = false, Timeout = timeout.TotalSeconds },
                timeout + _options.TaskAnswerGrace, cancellationToken).ConfigureAwait(false);
            if (Features.Contains(ProtocolFeatures.EnvSwitching))
            {
                await SendEnvironmentAsync(launch, _options.StartTimeout, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (AiSwitchException)
        {
            return false;
        }

        Volatile.Write(ref _launch, launch);
        Touch();
        return true;
    }

    /// <summary>agent.shutdown, then the end of stdin, then — past <paramref name="timeout"/> — the process tree is killed.</summary>
    public async Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 0 && !_exited.Task.IsCompleted)
        {
            try
            {
                await _connection.InvokeAsync(AgentProtocol.AgentShutdown, new ShutdownParams { Timeout = timeout.TotalSeconds }, timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AiSwitchException or OperationCanceledException)
            {
                // It is going anyway: the kill below makes sure.
            }
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _process.Exited.WaitAsync(_options.ShutdownGrace, _clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _process.KillTreeAsync(_options.ShutdownGrace, cancellationToken).ConfigureAwait(false);
        }

        await _exited.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_exited.Task.IsCompleted)
        {
            try
            {
                await StopAsync(_options.ShutdownGrace, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AiSwitchException or IOException or OperationCanceledException)
            {
                _process.KillTree();
            }
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        await _process.DisposeAsync().ConfigureAwait(false);
        _locks.Dispose();
        _slots.Dispose();
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _ = WatchProcessAsync();
        _ = CutOffWhenNotReadingAsync();
        _connection.Start();
        InitializeResult hello;
        try
        {
            hello = await _connection.InvokeAsync(AgentProtocol.AgentInitialize, new InitializeParams
            {
                AgentId = Name,
                ProtocolVersion = Protocol.ProtocolVersion.Current.ToString(),
                SupportedFeatures = [.. OfferedFeatures],
            }, _options.StartTimeout, cancellationToken).ConfigureAwait(false);
            Agree(hello);
        }
        catch (AiSwitchException e)
        {
            if (e.Id == ErrorId.AgentNotResponding)
            {
                // Its output ended: it is exiting, and its exit code says more than "closed stdout".
                await ((Task)_exited.Task).WaitAsync(TimeSpan.FromSeconds(1), _clock, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            throw InitializationFailed(e);
        }

        Touch();
        try
        {
            if (Features.Contains(ProtocolFeatures.Events))
            {
                await _connection.InvokeAsync(AgentProtocol.EventSubscribe, new SubscribeParams { EventTypes = ["*"] }, _options.StartTimeout, cancellationToken).ConfigureAwait(false);
            }

            if (Features.Contains(ProtocolFeatures.EnvSwitching) && Launch.PresetName is not null)
            {
                await SendEnvironmentAsync(Launch, _options.StartTimeout, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (AiSwitchException e)
        {
            throw InitializationFailed(e);
        }
    }

    private void Agree(InitializeResult hello)
    {
        if (!Protocol.ProtocolVersion.TryParse(hello.ProtocolVersion, out var agreed) || agreed.Major != Protocol.ProtocolVersion.Current.Major)
        {
            throw new AiSwitchException(ErrorId.ProtocolVersionMismatch,
                $"it answered with protocol version '{hello.ProtocolVersion}', but this AiSwitch speaks {Protocol.ProtocolVersion.Current}.", Name);
        }

        ProtocolVersion = agreed.ToString();
        Features = [.. hello.SupportedFeatures];
        AgentInfo = hello.AgentInfo;
    }

    private AiSwitchException InitializationFailed(AiSwitchException cause)
    {
        var rejected = Volatile.Read(ref _rejectedLines);
        var why = _exited.Task.IsCompleted
            ? $"its process exited (code {_exited.Task.Result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}) before the handshake finished"
            : cause.Id == ErrorId.RpcTimeout
                ? $"it did not answer agent.initialize within {_options.StartTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s"
                : cause.Id == ErrorId.AgentNotResponding
                    ? "it closed its stdout before answering agent.initialize"
                    : $"the handshake failed: {cause.Message.TrimEnd('.')}";
        var garbage = rejected == 0
            ? string.Empty
            : $" It wrote {rejected} line(s) on stdout that are not JSON-RPC ({_lastRejection}); stdout must carry only protocol messages, so log to stderr.";
        return new AiSwitchException(ErrorId.AgentInitializationFailed,
            $"Agent '{Name}' (jsonrpc, '{_launch.Agent.Command}') did not start: {why}.{garbage} " +
            $"Make sure the command runs an agent that speaks the AiSwitch agent protocol (docs/protocol.md); its stderr is in logs/agents/{Name}.log.",
            Name, cause);
    }

    private Task SendEnvironmentAsync(AgentLaunch launch, TimeSpan timeout, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(AgentProtocol.EnvSwitch, new SwitchEnvParams
        {
            Preset = launch.PresetName ?? "(none)",
            Variables = launch.Environment.ToDictionary(StringComparer.Ordinal),
            CreateSnapshot = false,
        }, timeout, cancellationToken);

    /// <summary>
    /// An agent that stops reading its stdin while it keeps writing is cut off by the connection (its queue to the agent
    /// is bounded); then it is killed, so that it fails like a crash, with the cut-off as its reason.
    /// </summary>
    private async Task CutOffWhenNotReadingAsync()
    {
        var closed = await _connection.Completion.ConfigureAwait(false);
        if (closed.Reason == JsonRpcCloseReason.PeerNotReading)
        {
            Volatile.Write(ref _cutOff, closed.Message);
            _process.KillTree();
        }
    }

    /// <summary>The moment the process exits, pending calls fail (Abort) and the agent's locks are released.</summary>
    private async Task WatchProcessAsync()
    {
        var code = await _process.Exited.ConfigureAwait(false);
        var requested = Volatile.Read(ref _stopRequested) != 0;
        var reason = Volatile.Read(ref _cutOff) is { } cutOff
            ? $"Agent '{Name}' (pid {Pid}) was killed: {cutOff}"
            : requested
            ? $"Agent '{Name}' (pid {Pid}) stopped with exit code {code} after being asked to."
            : $"Agent '{Name}' (pid {Pid}) exited unexpectedly with code {code}; its stderr is in logs/agents/{Name}.log.";
        _connection.Abort(reason);
        _locks.Dispose();
        EndSubscriptions();
        _exited.TrySetResult(new AgentExit { ExitCode = code, Reason = reason, Requested = requested });
    }

    private TimeSpan AnswerTimeout(AgentTask task) =>
        task.Timeout > 0 && task.Timeout < TimeSpan.MaxValue.TotalSeconds / 2
            ? TimeSpan.FromSeconds(task.Timeout) + _options.TaskAnswerGrace
            : Timeout.InfiniteTimeSpan;

    private void SendTaskCancel(string taskId)
    {
        // Best effort, in the background: the caller's $/cancelRequest goes out with the cancelled call itself.
        _ = _connection.InvokeAsync(AgentProtocol.TaskCancel, new CancelTaskParams { TaskId = taskId, Reason = "cancelled by the coordinator" }, _options.ShutdownGrace, CancellationToken.None)
            .ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private static AgentRunResult Normalize(AgentTaskResult result, TimeSpan duration)
    {
        var usage = result.TokensUsed;
        return new AgentRunResult
        {
            Success = result.Success,
            Text = result.Result ?? string.Empty,
            Error = result.Success ? null : result.Error ?? "The agent reported the task as failed without saying why.",
            ErrorId = result.Success ? null : FailureClassifier.Classify(result.Error),
            Model = usage?.Model,
            InputTokens = usage?.InputTokens ?? 0,
            OutputTokens = usage?.OutputTokens ?? 0,
            CacheReadTokens = usage?.CacheReadTokens ?? 0,
            CacheWriteTokens = usage?.CacheWriteTokens ?? 0,
            ReasoningTokens = usage?.ReasoningTokens ?? 0,
            CostUsd = AgentEventParser.Cost(usage?.CostUsd),
            CostSource = usage?.CostUsd is null ? CostSource.None : CostSource.Agent,
            Duration = duration,
        };
    }

    private AgentRunResult Failed(AgentTask task, AiSwitchException error, TimeSpan duration)
    {
        // The connection closing because the process ended is a crash; no answer from a live process is AgentNotResponding.
        var id = error.Id == ErrorId.RpcTimeout ? ErrorId.TaskTimeout
            : error.Id == ErrorId.AgentNotResponding && _exited.Task.IsCompleted ? ErrorId.AgentCrashed
            : error.Id;
        return new AgentRunResult
        {
            Success = false,
            Error = id is ErrorId.AgentNotResponding or ErrorId.AgentCrashed
                ? $"Task '{task.Id}' failed: {error.Message}"
                : error.Message,
            ErrorId = id,
            // A dead agent is restarted by its supervisor; the task may well succeed on the new process.
            Retryable = id is ErrorId.AgentNotResponding or ErrorId.AgentCrashed,
            ExitCode = _exited.Task.IsCompleted ? _exited.Task.Result.ExitCode : null,
            Duration = duration,
            Pid = Pid,
        };
    }

    private void Touch() => Interlocked.Exchange(ref _lastHeartbeatTicks, _clock.GetUtcNow().UtcTicks);

    private void OnConnectionLog(string line)
    {
        if (line.StartsWith("Rejected a message", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _rejectedLines);
            _lastRejection = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().TrimEnd('.');
        }
    }
}
