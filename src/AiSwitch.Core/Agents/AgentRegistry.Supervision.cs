using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents;

/// <summary>Supervision of long-lived agents: liveness and health, restarts with back-off, environment switches.</summary>
internal sealed partial class AgentRegistry
{
    /// <summary>
    /// Watches a long-lived agent until it is stopped. When it dies or fails its health probe it is started again,
    /// after 1 s, 2 s, 4 s… (RestartBackoff doubling), at most MaxRestarts times; then the agent is in Error with
    /// the reason. An agent that stayed up for StableAfter has its count cleared.
    /// </summary>
    private async Task SuperviseAsync(AgentInstance instance, ILongLivedAgentAdapter adapter, ILongLivedAgent live, CancellationToken lifetime)
    {
        try
        {
            await RestartUntilStoppedAsync(instance, adapter, live, lifetime).ConfigureAwait(false);
        }
        catch (Exception ex) when (!lifetime.IsCancellationRequested)
        {
            // Nobody awaits this loop until the agent stops: a fault here must show as the agent's Error, not vanish.
            Fail(instance, $"Agent '{instance.Definition.Name}' is no longer supervised: {ex.Message}");
        }
    }

    private async Task RestartUntilStoppedAsync(AgentInstance instance, ILongLivedAgentAdapter adapter, ILongLivedAgent live, CancellationToken lifetime)
    {
        var name = instance.Definition.Name;
        var upSince = _session.Clock.GetUtcNow();
        var failure = instance.Redactor.RedactOrNull(await WatchAsync(name, live, lifetime).ConfigureAwait(false));
        while (failure is not null && !lifetime.IsCancellationRequested)
        {
            var definition = instance.Definition;
            if (_session.Clock.GetUtcNow() - upSince >= _options.StableAfter)
            {
                instance.Restarts = 0;
            }

            lock (instance.Gate)
            {
                instance.Errors++;
                instance.LastError = failure;
                instance.Pid = null;
                instance.PidSince = null;
            }

            if (definition.RestartPolicy == RestartPolicy.Never || instance.Restarts >= definition.MaxRestarts)
            {
                var given = definition.RestartPolicy == RestartPolicy.Never
                    ? "its restart_policy is 'never'"
                    : $"it was restarted {instance.Restarts} time(s), the limit (max_restarts {definition.MaxRestarts})";
                Fail(instance, $"Agent '{name}' stopped working and {given}. Last failure: {failure}. Its stderr is in {RotatingLog.PathFor(_session.Home, name)}; fix the cause, then run Start-AiAgent {name}.");
                return;
            }

            instance.Restarts++;
            _log.Write("agent.restart", ("agent", name), ("restarts", instance.Restarts), ("max_restarts", definition.MaxRestarts));
            instance.Ready = AgentInstance.NewReady();
            SetStatus(instance, AgentStatus.Starting);
            try
            {
                await Task.Delay(Backoff(instance.Restarts), _session.Clock, lifetime).ConfigureAwait(false);
                var launch = PrepareLaunch(instance, instance.PresetOverride);
                var restarted = await adapter.StartAsync(launch, lifetime).ConfigureAwait(false);
                Attach(instance, launch, restarted);
                upSince = _session.Clock.GetUtcNow();
                failure = await WatchAsync(name, restarted, lifetime).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failure = $"restart failed: {ex.Message}";
            }
        }
    }

    /// <summary>The reason the agent failed, or null when it was stopped on purpose.</summary>
    private async Task<string?> WatchAsync(string name, ILongLivedAgent live, CancellationToken lifetime)
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(lifetime);
        var health = ProbeUntilUnhealthyAsync(live, watching.Token);
        var stopped = Task.Delay(Timeout.InfiniteTimeSpan, lifetime);
        var first = await Task.WhenAny(live.Exited, health, stopped).ConfigureAwait(false);
        await watching.CancelAsync().ConfigureAwait(false);
        if (first == stopped || lifetime.IsCancellationRequested)
        {
            return null;
        }

        if (first == live.Exited)
        {
            var exit = await live.Exited.ConfigureAwait(false);
            var limit = live.Pid is { } pid ? _supervisor.LimitHit(pid) : null;
            return exit.Requested ? null
                : limit is not null ? $"{limit} It exited{DescribeExit(exit.ExitCode)}: {exit.Reason}"
                : $"it exited{DescribeExit(exit.ExitCode)}: {exit.Reason}";
        }

        var reason = await health.ConfigureAwait(false);
        await live.DisposeAsync().ConfigureAwait(false); // an unhealthy agent is killed before it is replaced
        return $"its health check failed: {reason}";
    }

    private async Task<string> ProbeUntilUnhealthyAsync(ILongLivedAgent live, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HealthInterval, _session.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                AgentHealth health;
                try
                {
                    health = await live.ProbeAsync(cancellationToken).AsTask().WaitAsync(_options.HealthInterval, _session.Clock, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    health = AgentHealth.Unhealthy($"no answer to the health probe within {_options.HealthInterval.TotalSeconds:0.#} s");
                }

                if (!health.IsHealthy)
                {
                    return health.Reason ?? "unhealthy";
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped watching: the agent exited or was stopped, and the caller has its answer already.
        }

        return "stopped watching";
    }

    private TimeSpan Backoff(int attempt)
    {
        var ticks = _options.RestartBackoff.Ticks * Math.Pow(2, attempt - 1);
        return TimeSpan.FromTicks((long)Math.Min(ticks, _options.MaxRestartBackoff.Ticks));
    }

    private static string DescribeExit(int? code) => code switch
    {
        null => string.Empty,
        > 128 and < 160 when !OperatingSystem.IsWindows() => $" (code {code}, killed by signal {code - 128}{(code == 137 ? ", SIGKILL" : code == 143 ? ", SIGTERM" : string.Empty)})",
        _ => $" (code {code})",
    };

    /// <summary>
    /// Before a task on a long-lived agent: when its environment changed (Switch-AiEnvironment -Agent from any
    /// session, or a new -Preset), asks the agent to switch; a failed switch keeps the old environment and fails.
    /// </summary>
    private async Task<(ILongLivedAgent Live, AgentLaunch Launch)> SwitchIfChangedAsync(AgentInstance instance, string? preset, CancellationToken cancellationToken)
    {
        await instance.SwitchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var live = instance.Live ?? throw NotResponding(instance);
            var current = instance.Launch ?? throw NotResponding(instance);
            var next = PrepareLaunch(instance, preset);
            if (SameEnvironment(current.Environment, next.Environment))
            {
                return (live, current);
            }

            try
            {
                await live.SwitchEnvironmentAsync(next, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new AiSwitchException(ErrorId.EnvironmentSwitchFailed,
                    $"Agent '{instance.Definition.Name}' could not switch to preset '{next.PresetName}': {ex.Message} It keeps preset '{current.PresetName}'.",
                    instance.Definition.Name, ex);
            }

            lock (instance.Gate)
            {
                instance.Launch = next;
                instance.Preset = next.PresetName;
                instance.Model = next.Model;
            }

            Publish(instance);
            return (live, next);
        }
        finally
        {
            instance.SwitchGate.Release();
        }
    }

    private static bool SameEnvironment(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
        => a.Count == b.Count && a.All(v => b.TryGetValue(v.Key, out var other) && other == v.Value);

    private static AiSwitchException NotResponding(AgentInstance instance)
        => new(instance.LastError is null ? ErrorId.AgentNotResponding : instance.LastErrorId,
            $"Agent '{instance.Definition.Name}' is not running ({instance.LastError ?? instance.Status.ToString()}). Start it with Start-AiAgent {instance.Definition.Name}.",
            instance.Definition.Name);
}
