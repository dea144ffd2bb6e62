using AiSwitch.Core.Home;
using System.Collections.Concurrent;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents;

/// <summary>
/// The session's agents: their definitions (built-ins + config/agents.yaml), the instances this session started,
/// and the adapters that drive them. One per session (<see cref="For"/>); disposing the session stops every agent
/// it started and kills their process trees. Status is mirrored to state/agents.json for other sessions.
/// </summary>
internal sealed partial class AgentRegistry : IAsyncDisposable
{
    private readonly AiSession _session;
    private readonly AgentRegistryOptions _options;
    private readonly ProcessSupervisor _supervisor;
    private readonly AgentDefinitionStore _definitions;
    private readonly AgentEnvironmentBuilder _environments;
    private readonly AgentStateStore _state;
    private readonly AgentStateMirror _mirror;
    private readonly CoordinatorEvents _events;
    private readonly CoordinatorLog _log;
    private readonly ConcurrentDictionary<string, AgentInstance> _instances = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _sessionId;
    private int _disposed;

    public AgentRegistry(AiSession session, AgentRegistryOptions? options = null)
    {
        _session = session;
        _options = options ?? AgentRegistryOptions.Default;
        // Taken first, so the session disposes it after this registry: stopping the agents at the end is still logged.
        _log = CoordinatorLog.For(session);
        var sessionId = session.Id.ToString("N");
        _sessionId = sessionId;
        _supervisor = new ProcessSupervisor(session.Home, sessionId, session.Clock, _options.LogMaxBytes, _options.LogKeep);
        _definitions = new AgentDefinitionStore(session.Home, _options.Adapters);
        _environments = new AgentEnvironmentBuilder(session.Home, session.Environment, _options.SecretLookup);
        _state = new AgentStateStore(session.Home, sessionId);
        _mirror = new AgentStateMirror(_state);
        _events = CoordinatorEvents.For(session);
        if (_options.SweepOrphans)
        {
            SweptOrphans = ProcessSupervisor.SweepOrphans(session.Home);
        }

        AgentEnvironmentSwitcher.For(session).Attach(this);
    }

    /// <summary>Raised (on any thread) when an agent of this session changes status.</summary>
    public event EventHandler<AgentStatusChangedEventArgs>? StatusChanged;

    /// <summary>The session's registry, created on first use.</summary>
    public static AgentRegistry For(AiSession session)
        => session.GetService(s => new AgentRegistry(s, SessionOptions(s)));

    public Adapters.AdapterCatalog Adapters => _options.Adapters;

    /// <summary>Launches this session's agent processes (adapters get it as <see cref="AgentInvocation.Supervisor"/>).</summary>
    public IProcessLauncher Supervisor => _supervisor;

    public AgentDefinitionStore DefinitionStore => _definitions;

    /// <summary>The orphans of dead sessions that this registry killed when it started.</summary>
    public IReadOnlyList<SweptProcess> SweptOrphans { get; } = [];

    /// <summary>Every definition: built-ins, then config/agents.yaml (a user definition replaces a built-in of the same name).</summary>
    public IReadOnlyList<AgentDefinition> Definitions => _definitions.List();

    public AgentDefinition GetDefinition(string name) => _definitions.Get(name);

    /// <summary>The adapter for a name; AgentInitializationFailed when this build has none by that name.</summary>
    public IAgentAdapter ResolveAdapter(string adapterName)
        => Adapters.Find(adapterName) ?? throw new AiSwitchException(ErrorId.AgentInitializationFailed,
            $"Adapter '{adapterName}' is not available in this build. Known adapters: {string.Join(", ", Adapters.KnownNames)}.",
            adapterName);

    public AgentDefinition Register(RegisterAgentRequest request) => _definitions.Register(request);

    /// <summary>Removes a user definition; an agent this session runs is stopped first.</summary>
    public async Task UnregisterAsync(string name, CancellationToken cancellationToken = default)
    {
        if (_instances.TryGetValue(name, out var instance) && instance.IsActive)
        {
            await StopAsync(new StopAgentRequest { Name = name }, cancellationToken).ConfigureAwait(false);
        }

        _definitions.Unregister(name);
    }

    /// <summary>
    /// Agents whose name matches <paramref name="namePattern"/> (wildcards allowed; null for all), with the state of
    /// this session's instance or of another live session's. A literal name that matches nothing is AgentNotFound.
    /// </summary>
    public IReadOnlyList<AiAgent> Get(string? namePattern = null, bool runningOnly = false)
    {
        var definitions = _definitions.List();
        IEnumerable<AgentDefinition> matching = definitions;
        if (!string.IsNullOrEmpty(namePattern))
        {
            var pattern = new NamePattern(namePattern);
            matching = definitions.Where(d => pattern.IsMatch(d.Name)).ToList();
            if (!NamePattern.HasWildcards(namePattern) && !matching.Any())
            {
                throw AgentDefinitionStore.NotFound(namePattern, definitions);
            }
        }

        var others = _state.OtherSessions();
        var circuits = new AgentCircuits(_session.Home, _session.Clock).Snapshot();
        return [.. matching.Select(d => Describe(d, others[d.Name].FirstOrDefault(), circuits)).Where(a => !runningOnly || Runs(a))];
    }

    // A per-task agent between tasks is ready (Idle) but nothing of it runs, so -Running leaves it out.
    private static bool Runs(AiAgent agent)
        => agent.Status is not (AgentStatus.Stopped or AgentStatus.Error) && !(agent.Status == AgentStatus.Idle && agent.Pid is null);

    /// <summary>
    /// Starts an agent in this session. A long-lived adapter's process is started and supervised; a per-task adapter
    /// is checked for readiness (command present and executable, preset resolvable) and marked ready. Starting an
    /// agent that runs already returns it as it is (with a new preset, when one is given, for its next task).
    /// </summary>
    public async Task<AiAgent> StartAsync(StartAgentRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var definition = _definitions.Get(request.Name);
        var instance = _instances.GetOrAdd(definition.Name, _ => new AgentInstance(definition, ResolveAdapter(definition.Adapter)));
        AgentStatus previous;
        lock (instance.Gate)
        {
            if (instance.IsActive)
            {
                instance.PresetOverride = request.Preset ?? instance.PresetOverride;
                return Describe(instance.Definition, null);
            }

            instance.Renew();
            instance.Definition = definition;
            instance.PresetOverride = request.Preset;
            instance.WorkingDirectory = request.WorkingDirectory;
            // Claimed under the gate, so two callers starting one agent at once start it once.
            previous = instance.Status;
            instance.Status = AgentStatus.Starting;
        }

        Announce(instance, previous, AgentStatus.Starting);
        try
        {
            var readiness = await instance.Adapter.CheckAsync(definition, cancellationToken).ConfigureAwait(false);
            readiness.ThrowIfNotReady();
            var launch = PrepareLaunch(instance, instance.PresetOverride);
            instance.Adapter.CheckLaunch(launch).ThrowIfNotReady();
            if (instance.Adapter is ILongLivedAgentAdapter longLived)
            {
                var live = await longLived.StartAsync(launch, cancellationToken).ConfigureAwait(false);
                Attach(instance, launch, live);
                instance.Supervision = SuperviseAsync(instance, longLived, live, instance.Lifetime.Token);
            }
            else
            {
                Attach(instance, launch, null);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = ex as AiSwitchException ?? new AiSwitchException(ErrorId.AgentInitializationFailed,
                $"Agent '{definition.Name}' failed to start: {ex.Message}", definition.Name, ex);
            Fail(instance, error.Message, error.Id);
            await _mirror.Flushed.ConfigureAwait(false);
            throw error;
        }
        catch
        {
            SetStatus(instance, AgentStatus.Stopped, remove: true);
            throw;
        }

        await _mirror.Flushed.ConfigureAwait(false);
        return Describe(instance.Definition, null);
    }

    /// <summary>
    /// Stops an agent of this session: running tasks get <see cref="StopAgentRequest.Timeout"/> to finish (none with
    /// Force), then are cancelled; the agent's process trees are killed. Stopping a stopped agent is a no-op.
    /// </summary>
    public async Task<AiAgent> StopAsync(StopAgentRequest request, CancellationToken cancellationToken = default)
    {
        var definition = _definitions.Get(request.Name);
        if (!_instances.TryGetValue(definition.Name, out var instance) || instance.Status == AgentStatus.Stopped)
        {
            if (_state.OtherSessions()[definition.Name].FirstOrDefault() is { } elsewhere)
            {
                return await StopElsewhereAsync(definition, elsewhere, request, cancellationToken).ConfigureAwait(false);
            }

            return Describe(definition, null);
        }

        SetStatus(instance, AgentStatus.Stopping);
        var running = instance.RunningTasks();
        if (!request.Force && running.Length > 0)
        {
            await Task.WhenAny(Task.WhenAll(running), Task.Delay(request.Timeout, _session.Clock, cancellationToken)).ConfigureAwait(false);
        }

        await instance.Lifetime.CancelAsync().ConfigureAwait(false);
        if (instance.Live is { } live)
        {
            if (request.Force)
            {
                await live.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await live.StopAsync(request.Timeout, cancellationToken).ConfigureAwait(false);
                await live.DisposeAsync().ConfigureAwait(false);
            }
        }

        await KillProcessesOfAsync(definition.Name).ConfigureAwait(false);
        await Task.WhenAll(running.Append(instance.Supervision)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        lock (instance.Gate)
        {
            instance.Live = null;
            instance.Launch = null;
            instance.Pid = null;
            instance.PidSince = null;
            instance.StartedAt = null;
        }

        SetStatus(instance, AgentStatus.Stopped, remove: true);
        await _mirror.Flushed.ConfigureAwait(false);
        return Describe(instance.Definition, null);
    }

    /// <summary>
    /// Restarts the agent with the same preset, letting running tasks finish first: in its own process when it can
    /// (a JSON-RPC agent with the restart feature: agent.restart), otherwise by stopping and starting its process.
    /// </summary>
    public async Task<AiAgent> RestartAsync(string name, CancellationToken cancellationToken = default)
    {
        var preset = _instances.TryGetValue(name, out var instance) ? instance.PresetOverride : null;
        var workingDirectory = instance?.WorkingDirectory;
        if (instance is { IsActive: true, Live: { } live } && instance.Status != AgentStatus.Error && SameProgram(instance.Definition, _definitions.Get(name))
            && await RestartInPlaceAsync(instance, live, cancellationToken).ConfigureAwait(false))
        {
            await _mirror.Flushed.ConfigureAwait(false);
            return Describe(instance.Definition, null);
        }

        await StopAsync(new StopAgentRequest { Name = name }, cancellationToken).ConfigureAwait(false);
        return await StartAsync(new StartAgentRequest { Name = name, Preset = preset, WorkingDirectory = workingDirectory }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one task on an agent, starting it first when this session has not. Waits for a free slot (the agent's
    /// MaxConcurrency). The environment is built for each task, so an environment switch reaches the next task;
    /// a long-lived agent is switched (Switch­EnvironmentAsync) before the task when its environment changed.
    /// </summary>
    public async Task<AgentRunResult> RunAsync(AgentRunRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var definition = _definitions.Get(request.Agent);
        var instance = _instances.GetOrAdd(definition.Name, _ => new AgentInstance(definition, ResolveAdapter(definition.Adapter)));
        if (instance.Status == AgentStatus.Stopping)
        {
            throw new AiSwitchException(ErrorId.AgentNotResponding,
                $"Agent '{definition.Name}' is stopping and takes no new task. Start it again with Start-AiAgent {definition.Name}.", definition.Name);
        }

        // A long-lived agent that gave up restarting stays in Error until someone starts it on purpose.
        if (instance.Status == AgentStatus.Error && instance.Adapter is ILongLivedAgentAdapter)
        {
            throw new AiSwitchException(instance.LastErrorId, instance.LastError ?? $"Agent '{definition.Name}' is in Error.", definition.Name);
        }

        if (!instance.IsActive)
        {
            await StartAsync(new StartAgentRequest { Name = definition.Name, WorkingDirectory = request.WorkingDirectory }, cancellationToken).ConfigureAwait(false);
        }

        await instance.Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, instance.Lifetime.Token);
            ChangeLoad(instance, +1, success: null);
            var began = _session.Clock.GetTimestamp();
            AnnounceTask(CoordinatorEventTypes.TaskStarted, instance, request.Task.Id);
            var run = RunOnAsync(instance, request, linked.Token);
            instance.Track(run);
            AgentRunResult result;
            try
            {
                result = await run.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                ChangeLoad(instance, -1, success: false, _session.Clock.GetElapsedTime(began));
                AnnounceTask(CoordinatorEventTypes.TaskFailed, instance, request.Task.Id, ex is OperationCanceledException ? "cancelled" : ex.Message);
                throw;
            }

            result = WithLimitCause(instance, result);
            ChangeLoad(instance, -1, result.Success, _session.Clock.GetElapsedTime(began), result.TimeToFirstToken);
            AnnounceTask(result.Success ? CoordinatorEventTypes.TaskCompleted : CoordinatorEventTypes.TaskFailed, instance, request.Task.Id, result.Success ? null : result.Error);
            if ((result.Pid ?? instance.Pid) is { } pid)
            {
                SampleNow(instance, pid, processEnded: instance.Adapter is not ILongLivedAgentAdapter);
            }

            return result;
        }
        finally
        {
            instance.Slots.Release();
        }
    }

    // A changed command, arguments or adapter needs a new process; agent.restart would keep running the old program.
    private static bool SameProgram(AgentDefinition running, AgentDefinition now)
        => running.Adapter == now.Adapter && running.Command == now.Command && running.Arguments.SequenceEqual(now.Arguments)
            && running.WorkingDirectory == now.WorkingDirectory && running.MaxConcurrency == now.MaxConcurrency;

    private async Task<bool> RestartInPlaceAsync(AgentInstance instance, ILongLivedAgent live, CancellationToken cancellationToken)
    {
        await instance.SwitchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var running = instance.RunningTasks();
            if (running.Length > 0)
            {
                await Task.WhenAny(Task.WhenAll(running), Task.Delay(StopAgentRequest.DefaultTimeout, _session.Clock, cancellationToken)).ConfigureAwait(false);
            }

            var launch = PrepareLaunch(instance, instance.PresetOverride);
            SetStatus(instance, AgentStatus.Starting);
            if (!await live.RestartInPlaceAsync(launch, StopAgentRequest.DefaultTimeout, cancellationToken).ConfigureAwait(false))
            {
                SetStatus(instance, instance.LoadStatus());
                return false;
            }

            lock (instance.Gate)
            {
                instance.Launch = launch;
                instance.Preset = launch.PresetName;
                instance.Model = launch.Model;
                instance.StartedAt = _session.Clock.GetUtcNow();
                instance.Restarts = 0;
                instance.LastError = null;
            }

            SetStatus(instance, instance.LoadStatus());
            return true;
        }
        finally
        {
            instance.SwitchGate.Release();
        }
    }

    /// <summary>
    /// A failed task whose process a resource limit ended says so first, naming the limit, and so does the agent's last
    /// error; it is not retried, since the same task would hit the same limit.
    /// </summary>
    private AgentRunResult WithLimitCause(AgentInstance instance, AgentRunResult result)
    {
        if (result.Success || result.Pid is not { } pid || _supervisor.LimitHit(pid) is not { } cause)
        {
            return result;
        }

        lock (instance.Gate)
        {
            instance.LastError = cause;
            instance.LastErrorId = ErrorId.AgentCrashed;
        }

        return result with
        {
            Error = string.IsNullOrWhiteSpace(result.Error) ? cause : $"{cause} {result.Error}",
            ErrorId = ErrorId.AgentCrashed,
            Retryable = false,
        };
    }

    /// <summary>Like <see cref="StartAsync"/>, but a failure is reported through <paramref name="context"/> (for one item of many) and null returned.</summary>
    public Task<AiAgent?> TryStartAsync(StartAgentRequest request, IOperationContext context, CancellationToken cancellationToken = default)
        => Reported(StartAsync(request, cancellationToken), context);

    /// <summary>Like <see cref="StopAsync"/>, reporting a failure through <paramref name="context"/>.</summary>
    public Task<AiAgent?> TryStopAsync(StopAgentRequest request, IOperationContext context, CancellationToken cancellationToken = default)
        => Reported(StopAsync(request, cancellationToken), context);

    /// <summary>Like <see cref="RestartAsync"/>, reporting a failure through <paramref name="context"/>.</summary>
    public Task<AiAgent?> TryRestartAsync(string name, IOperationContext context, CancellationToken cancellationToken = default)
        => Reported(RestartAsync(name, cancellationToken), context);

    /// <summary>Like <see cref="UnregisterAsync"/>, reporting a failure through <paramref name="context"/>; false when it failed.</summary>
    public async Task<bool> TryUnregisterAsync(string name, IOperationContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await UnregisterAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AiSwitchException ex)
        {
            context.WriteError(ex);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Volatile.Read(ref _stopWatch) is { } watch)
        {
            await watch.CancelAsync().ConfigureAwait(false);
            watch.Dispose();
        }

        var stops = _instances.Values.Where(i => i.IsActive).Select(i => StopQuietlyAsync(i.Definition.Name));
        await Task.WhenAll(stops).ConfigureAwait(false);
        await _supervisor.DisposeAsync().ConfigureAwait(false);
        if (_instances.IsEmpty)
        {
            return; // this session never mirrored anything: leave the file alone
        }

        await _mirror.Flushed.ConfigureAwait(false);
        try
        {
            _state.RemoveSession();
        }
        catch (AiSwitchException)
        {
            // A corrupt state file must not keep a session from closing; the next writer prunes our entries.
        }
    }

    private static async Task<T?> Reported<T>(Task<T> work, IOperationContext context) where T : class
    {
        try
        {
            return await work.ConfigureAwait(false);
        }
        catch (AiSwitchException ex)
        {
            context.WriteError(ex);
            return null;
        }
    }

    private async Task StopQuietlyAsync(string name)
    {
        try
        {
            await StopAsync(new StopAgentRequest { Name = name, Force = true }).ConfigureAwait(false);
        }
        catch (AiSwitchException)
        {
            // The supervisor's disposal still kills whatever is left of the agent.
        }
    }

    private async Task<AgentRunResult> RunOnAsync(AgentInstance instance, AgentRunRequest request, CancellationToken cancellationToken)
    {
        // The one place an agent's answer enters the engine: what it says is masked before anything stores or shows it.
        try
        {
            return instance.Redactor.Redact(await RunUnmaskedAsync(instance, request, cancellationToken).ConfigureAwait(false));
        }
        catch (AiSwitchException error)
        {
            throw instance.Redactor.Redact(error);
        }
    }

    private async Task<AgentRunResult> RunUnmaskedAsync(AgentInstance instance, AgentRunRequest request, CancellationToken cancellationToken)
    {
        var perTask = instance.Adapter is not ILongLivedAgentAdapter;
        var observer = new PidObserver(instance, request.Observer, _session.Clock, perTask, pid => SampleNow(instance, pid, processEnded: false), () => Publish(instance));
        if (perTask)
        {
            var launch = PrepareLaunch(instance, request.Preset ?? instance.PresetOverride, request.WorkingDirectory);
            observer.OnPrepared(Place(launch));
            try
            {
                return await instance.Adapter.RunAsync(AgentInvocation.Create(launch, request.Task), observer, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                observer.TaskEnded();
            }
        }

        await instance.Ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var current = await SwitchIfChangedAsync(instance, request.Preset ?? instance.PresetOverride, cancellationToken).ConfigureAwait(false);
        observer.OnPrepared(Place(current.Launch));
        return await current.Live.RunAsync(AgentInvocation.Create(current.Launch, request.Task), observer, cancellationToken).ConfigureAwait(false);
    }

    private static AgentRunPlace Place(AgentLaunch launch) => new(launch.PresetName, launch.WorkingDirectory, RotatingLog.PathFor(launch.Home, launch.Agent.Name));

    /// <summary>The environment for the agent's next process or task; failures name the agent.</summary>
    private AgentLaunch PrepareLaunch(AgentInstance instance, string? preset, string? workingDirectory = null)
    {
        // Sampling starts with the session's first agent launch, not with every command that merely reads the registry.
        StartSampling();
        var definition = instance.Definition;
        BuiltEnvironment environment;
        try
        {
            environment = _environments.Build(definition, instance.Adapter.QuietSettings, _definitions.Load().EffectiveAllowlist, preset);
        }
        catch (AiSwitchException ex) when (ex.Id != ErrorId.AgentInitializationFailed)
        {
            throw new AiSwitchException(ex.Id, $"Agent '{definition.Name}' cannot start: {ex.Message}", definition.Name, ex) { Details = ex.Details };
        }

        var folder = definition.WorkingDirectory is { } configured
            ? ReferenceResolver.ExpandPath(configured)
            : workingDirectory ?? instance.WorkingDirectory ?? Environment.CurrentDirectory;
        instance.Redactor.Add(environment.Secrets);
        return new AgentLaunch
        {
            Agent = definition,
            Environment = environment.Variables,
            WorkingDirectory = folder,
            PresetName = environment.PresetName,
            Model = environment.Model,
            Home = _session.Home,
            Supervisor = new MaskingLauncher(_supervisor, instance.Redactor, definition.Limits),
            Coordinator = CoordinatorServices.For(_session),
        };
    }

    private void Attach(AgentInstance instance, AgentLaunch launch, ILongLivedAgent? live)
    {
        lock (instance.Gate)
        {
            instance.Launch = launch;
            instance.Live = live;
            instance.Pid = live?.Pid;
            instance.PidSince = live?.Pid is null ? null : _session.Clock.GetUtcNow();
            instance.Preset = launch.PresetName;
            instance.Model = launch.Model;
            instance.StartedAt = _session.Clock.GetUtcNow();
        }

        SetStatus(instance, instance.LoadStatus());
        instance.Ready.TrySetResult();
    }

    private void ChangeLoad(AgentInstance instance, int delta, bool? success, TimeSpan took = default, TimeSpan? firstToken = null)
    {
        lock (instance.Gate)
        {
            instance.ActiveTasks += delta;
            if (instance.ActiveTasks == 0)
            {
                instance.Progress = null;
            }
            if (success is { } ok)
            {
                instance.TasksDone++;
                instance.Errors += ok ? 0 : 1;
                instance.TaskTime += took;
                if (firstToken is { } first)
                {
                    instance.FirstTokenTime += first;
                    instance.FirstTokens++;
                }
            }
        }

        if (instance.Status is AgentStatus.Idle or AgentStatus.Running or AgentStatus.Busy)
        {
            SetStatus(instance, instance.LoadStatus());
        }
        else
        {
            Publish(instance);
        }
    }

    private void Fail(AgentInstance instance, string reason, ErrorId cause = ErrorId.AgentNotResponding)
    {
        reason = instance.Redactor.Redact(reason);
        lock (instance.Gate)
        {
            instance.LastError = reason;
            instance.LastErrorId = cause;
        }

        SetStatus(instance, AgentStatus.Error);
        instance.Ready.TrySetException(new AiSwitchException(cause, reason, instance.Definition.Name));
        instance.Ready.Task.Exception?.Handle(_ => true); // observed here; waiters see it too
    }

    private void SetStatus(AgentInstance instance, AgentStatus status, bool remove = false)
    {
        AgentStatus previous;
        lock (instance.Gate)
        {
            previous = instance.Status;
            instance.Status = status;
        }

        Announce(instance, previous, status, remove);
    }

    private void Announce(AgentInstance instance, AgentStatus previous, AgentStatus status, bool remove = false)
    {
        Publish(instance, remove);
        if (previous != status)
        {
            var what = status switch
            {
                AgentStatus.Running or AgentStatus.Idle when previous == AgentStatus.Starting => "agent.start",
                AgentStatus.Stopped => "agent.stop",
                AgentStatus.Error => "agent.error",
                _ => "agent.status",
            };
            _log.Write(what, ("agent", instance.Definition.Name), ("from", previous), ("to", status), ("pid", instance.Pid), ("restarts", instance.Restarts));
            var reason = status switch { AgentStatus.Error => instance.LastError, AgentStatus.Stopped => instance.StopReason, _ => null };
            StatusChanged?.Invoke(this, new AgentStatusChangedEventArgs(instance.Definition.Name, previous, status, reason));
            AnnounceToAgents(instance, previous, status);
        }
    }

    /// <summary>The status changes JSON-RPC agents may subscribe to (event.subscribe): started, stopped, failed.</summary>
    private void AnnounceToAgents(AgentInstance instance, AgentStatus previous, AgentStatus status)
    {
        var type = status switch
        {
            AgentStatus.Idle or AgentStatus.Running or AgentStatus.Busy when previous == AgentStatus.Starting => CoordinatorEventTypes.AgentStarted,
            AgentStatus.Stopped => CoordinatorEventTypes.AgentStopped,
            AgentStatus.Error => CoordinatorEventTypes.AgentFailed,
            _ => null,
        };
        if (type is null)
        {
            return;
        }

        var name = instance.Definition.Name;
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["agent_id"] = name, ["status"] = Wire(status) };
        if (status == AgentStatus.Error && instance.LastError is { } reason)
        {
            data["reason"] = reason;
        }

        _events.Publish(type, name, data);
    }

    /// <summary>A task's start and end on an agent, for subscribed JSON-RPC agents.</summary>
    private void AnnounceTask(string type, AgentInstance instance, string taskId, string? error = null)
    {
        var name = instance.Definition.Name;
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["task_id"] = taskId, ["agent_id"] = name };
        if (error is not null)
        {
            data["error"] = error;
        }

        _events.Publish(type, name, data);
    }

    private static string Wire(AgentStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>
    /// Mirrors the instance to state/agents.json in the background (<see cref="AgentStateMirror"/>): a failure to write
    /// it must not stop supervision here. Start and stop wait for the write, so other sessions see them once they return.
    /// </summary>
    private void Publish(AgentInstance instance, bool remove = false)
    {
        AgentStateEntry? entry;
        lock (instance.Gate)
        {
            entry = remove ? null : _state.Entry(instance.Definition.Name, instance, _session.Clock.GetUtcNow());
        }

        if (entry is not null)
        {
            WatchForStopRequests();
        }

        _mirror.Publish(instance.Definition.Name, entry);
    }

    private async Task KillProcessesOfAsync(string agent)
    {
        var processes = _supervisor.Running.Where(p => p.AgentName.Equals(agent, StringComparison.OrdinalIgnoreCase));
        await Task.WhenAll(processes.Select(p => p.KillTreeAsync(_supervisor.KillGrace))).ConfigureAwait(false);
    }

    private AiAgent Describe(AgentDefinition definition, AgentStateEntry? elsewhere, IReadOnlyDictionary<string, CircuitView>? circuits = null)
    {
        var circuit = (circuits ?? new AgentCircuits(_session.Home, _session.Clock).Snapshot()).GetValueOrDefault(definition.Name) ?? CircuitView.Closed(definition.Name);
        var command = definition.Command ?? Adapters.Find(definition.Adapter)?.DefaultCommand;
        var commandPath = command is null ? null : AgentCommands.Find(command, _session.Environment.Get("PATH"));
        var now = _session.Clock.GetUtcNow();
        if (_instances.TryGetValue(definition.Name, out var instance) && (instance.Status != AgentStatus.Stopped || elsewhere is null))
        {
            lock (instance.Gate)
            {
                var active = instance.Status != AgentStatus.Stopped;
                return new AiAgent
                {
                    Name = definition.Name, Adapter = definition.Adapter, Status = instance.Status,
                    Preset = active ? instance.Preset : definition.Preset, Pid = instance.Pid,
                    Uptime = instance.Pid is not null && instance.PidSince is { } since && active ? now - since : null,
                    ActiveTasks = instance.ActiveTasks, Progress = instance.Progress, TasksDone = instance.TasksDone, Errors = instance.Errors,
                    LastHeartbeat = instance.Live?.LastHeartbeat, Command = command, Source = definition.Source,
                    CommandPath = commandPath, Model = instance.Model ?? definition.Model, MaxConcurrency = definition.MaxConcurrency,
                    Restarts = instance.Restarts, LastError = instance.LastError, StartedAt = active ? instance.StartedAt : null,
                    OwnerPid = active ? Environment.ProcessId : null, BuiltIn = definition.BuiltIn, Tags = definition.Tags,
                    Circuit = circuit.State, FailureStreak = circuit.Failures, ProbeAt = circuit.ProbeAt,
                };
            }
        }

        return new AiAgent
        {
            Name = definition.Name, Adapter = definition.Adapter, Status = elsewhere?.Status ?? AgentStatus.Stopped,
            Preset = elsewhere?.Preset ?? definition.Preset, Pid = elsewhere?.Pid,
            Uptime = elsewhere?.Pid is not null && (elsewhere.PidSince ?? elsewhere.StartedAt) is { } up ? now - up : null,
            ActiveTasks = elsewhere?.ActiveTasks ?? 0, Progress = elsewhere?.Progress, TasksDone = elsewhere?.TasksDone ?? 0, Errors = elsewhere?.Errors ?? 0,
            LastHeartbeat = elsewhere?.LastHeartbeat, Command = command, Source = definition.Source, CommandPath = commandPath,
            Model = definition.Model, MaxConcurrency = definition.MaxConcurrency, Restarts = elsewhere?.Restarts ?? 0,
            LastError = elsewhere?.LastError, StartedAt = elsewhere?.StartedAt, OwnerPid = elsewhere?.OwnerPid,
            BuiltIn = definition.BuiltIn, Tags = definition.Tags,
            Circuit = circuit.State, FailureStreak = circuit.Failures, ProbeAt = circuit.ProbeAt,
        };
    }

    /// <summary>
    /// Passes progress on, and keeps the agent's pid: a per-task agent's is its task's process until the task ends; a
    /// long-lived agent's is the process that took the task (a session may have restarted it).
    /// </summary>
    private sealed class PidObserver(
        AgentInstance instance, IAgentRunObserver inner, TimeProvider clock, bool perTask, Action<int> taskProcessStarted, Action progressed) : IAgentRunObserver
    {
        private int? _taskPid;

        public void OnStarted(int? pid)
        {
            if (pid is { } started)
            {
                lock (instance.Gate)
                {
                    if (perTask)
                    {
                        instance.TaskProcessStarted(started, clock.GetUtcNow());
                        _taskPid = started;
                    }
                    else if (instance.Pid != started)
                    {
                        (instance.Pid, instance.PidSince) = (started, clock.GetUtcNow());
                    }
                }

                if (perTask)
                {
                    taskProcessStarted(started);
                }
            }

            inner.OnStarted(pid);
        }

        /// <summary>The task is over, and with it the per-task process it started.</summary>
        public void TaskEnded()
        {
            if (_taskPid is { } pid)
            {
                lock (instance.Gate)
                {
                    instance.TaskProcessEnded(pid);
                }
            }
        }

        public void OnPrepared(AgentRunPlace place) => inner.OnPrepared(place);

        public void OnProcess(AgentProcess process) => inner.OnProcess(process);

        public void OnFirstToken() => inner.OnFirstToken();

        public void OnText(string delta) => inner.OnText(delta);

        public void OnEvent(string kind) => inner.OnEvent(kind);

        /// <summary>Passed on, and kept on the agent (state/agents.json), so a monitor in any process shows it.</summary>
        public void OnProgress(double percent)
        {
            lock (instance.Gate)
            {
                instance.Progress = percent;
            }

            progressed();
            inner.OnProgress(percent);
        }
    }
}
