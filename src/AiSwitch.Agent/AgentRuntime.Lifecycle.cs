using AiSwitch.Protocol;

namespace AiSwitch.Agent;

/// <content>agent.initialize, agent.status, agent.shutdown, agent.restart, and the heartbeat and metrics reports.</content>
internal sealed partial class AgentRuntime
{
    /// <summary>How long cancelled tasks get to end before shutdown or restart stops waiting for them.</summary>
    private static readonly TimeSpan CancelledTaskGrace = TimeSpan.FromSeconds(5);

    private void RegisterLifecycle()
    {
        Serve(ProtocolMethods.AgentInitialize, static j => j.InitializeParams, static j => j.InitializeResult, (parameters, _) => ValueTask.FromResult(Initialize(parameters)));
        Serve(ProtocolMethods.AgentStatus, static j => j.EmptyParams, static j => j.StatusResult, (_, _) => ValueTask.FromResult(new StatusResult
        {
            AgentId = _agentId,
            Status = Status,
            CurrentTask = _tasks.Running().Select(entry => entry.Task.Id).FirstOrDefault(),
            Metrics = Metrics(),
            LastHeartbeat = new DateTimeOffset(Interlocked.Read(ref _lastHeartbeatTicks), TimeSpan.Zero),
        }));
        Serve(ProtocolMethods.AgentShutdown, static j => j.ShutdownParams, static j => j.ShutdownResult, ShutdownAsync);
        Serve(ProtocolMethods.AgentRestart, static j => j.RestartParams, static j => j.RestartResult, RestartAsync);
    }

    private InitializeResult Initialize(InitializeParams parameters)
    {
        var version = ProtocolVersion.Negotiate(parameters, SupportedVersions, "the coordinator");
        if (!string.IsNullOrWhiteSpace(parameters.AgentId))
        {
            _agentId = parameters.AgentId;
        }

        if (Interlocked.Exchange(ref _initialized, 1) == 0)
        {
            _reporting = Task.WhenAll(
                EveryAsync(_options.HeartbeatInterval, SendHeartbeatAsync),
                EveryAsync(_options.MetricsInterval, cancellationToken => _coordinator.ReportMetricsAsync(Metrics(), cancellationToken)));
        }

        Log($"initialized as '{_agentId}', protocol {version} (the coordinator offered {parameters.ProtocolVersion})");
        return new InitializeResult
        {
            AgentId = _agentId,
            ProtocolVersion = version.ToString(),
            SupportedFeatures = [.. _agent.SupportedFeatures],
            Status = Status,
            AgentInfo = AgentInfo,
        };
    }

    private async ValueTask<ShutdownResult> ShutdownAsync(ShutdownParams parameters, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _stopping, 1);
        var grace = parameters.Force == true ? TimeSpan.Zero : Seconds(parameters.Timeout) ?? _options.ShutdownGrace;
        Log($"agent.shutdown: {(grace == TimeSpan.Zero ? "cancelling running tasks" : $"giving running tasks {grace.TotalSeconds:0.###} s")}");
        await StopTasksAsync("the agent is shutting down (agent.shutdown)", grace).ConfigureAwait(false);
        var result = new ShutdownResult { Status = AgentStatus.Stopped, ShutdownAt = _clock.GetUtcNow(), FinalMetrics = Metrics() };
        _shutdownAnswered.TrySetResult();
        return result;
    }

    /// <summary>
    /// agent.restart restarts the agent in place: running tasks are cancelled, and unless preserve_state is set the finished
    /// tasks, the environment and its snapshots go back to how the agent started. Restarting the process is the coordinator's job.
    /// </summary>
    private async ValueTask<RestartResult> RestartAsync(RestartParams parameters, CancellationToken cancellationToken)
    {
        var preserve = parameters.PreserveState == true;
        Log($"agent.restart (preserve_state: {preserve})");
        await StopTasksAsync("the agent is restarting (agent.restart)", TimeSpan.Zero).ConfigureAwait(false);
        if (!preserve)
        {
            _tasks.ForgetFinished();
            _environment.Reset();
            Interlocked.Exchange(ref _finishedTasks, 0);
            Interlocked.Exchange(ref _failedTasks, 0);
            Interlocked.Exchange(ref _totalExecutionMs, 0);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Seconds(parameters.Timeout) is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        await _agent.RestartAsync(preserve, timeout.Token).ConfigureAwait(false);
        return new RestartResult { Status = Status, RestartedAt = _clock.GetUtcNow() };
    }

    /// <summary>Lets running tasks finish for up to <paramref name="grace"/>, then cancels the rest and waits briefly for them to end.</summary>
    private async Task StopTasksAsync(string reason, TimeSpan grace)
    {
        var running = _tasks.Running();
        if (running.Count == 0)
        {
            return;
        }

        var all = Task.WhenAll(running.Select(entry => entry.Finished));
        if (grace > TimeSpan.Zero)
        {
            await ((Task)all.WaitAsync(grace, _clock)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        foreach (var entry in running)
        {
            entry.Cancel(reason);
        }

        await ((Task)all.WaitAsync(CancelledTaskGrace, _clock)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var stuck = running.Where(entry => !entry.IsFinished).Select(entry => entry.Task.Id).ToList();
        if (stuck.Count > 0)
        {
            Log($"tasks {string.Join(", ", stuck)} did not end within {CancelledTaskGrace.TotalSeconds} s of being cancelled; going on without them");
        }
    }

    private async Task SendHeartbeatAsync(CancellationToken cancellationToken)
    {
        var beat = new HeartbeatParams { AgentId = _agentId, Status = Status, CurrentTasks = [.. _tasks.Running().Select(entry => entry.Task.Id)] };
        await _coordinator.HeartbeatAsync(beat, cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastHeartbeatTicks, _clock.GetUtcNow().UtcTicks);
    }

    /// <summary>Runs <paramref name="report"/> every <paramref name="interval"/> until the agent stops; a coordinator that does not serve it is not asked again.</summary>
    private async Task EveryAsync(TimeSpan interval, Func<CancellationToken, Task> report)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_lifetime.Token).ConfigureAwait(false))
            {
                try
                {
                    await report(_lifetime.Token).ConfigureAwait(false);
                }
                catch (AiSwitchException e) when (e.Id == ErrorId.RpcMethodNotFound)
                {
                    Log($"the coordinator does not serve this report; not sending it again ({e.Message})");
                    return;
                }
                catch (AiSwitchException e)
                {
                    Log($"a periodic report failed: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The agent is stopping.
        }
    }

    private static TimeSpan? Seconds(double? seconds) =>
        seconds is > 0 and < 86_400 * 365 ? TimeSpan.FromSeconds(seconds.Value) : null;
}
