using AiSwitch.Core.Presets;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents;

/// <summary>
/// One agent started in this session: its live state (guarded by <see cref="Gate"/>), its concurrency slots, and —
/// for a long-lived adapter — the running agent and the loop that supervises it.
/// </summary>
internal sealed class AgentInstance
{
    private readonly HashSet<Task> _running = [];

    // A per-task agent's task processes while they run (newest last): the agent shows the newest one's pid, and none
    // once they have exited, since nothing of the agent runs between tasks.
    private readonly List<(int Pid, DateTimeOffset Since)> _taskProcesses = [];

    public AgentInstance(AgentDefinition definition, IAgentAdapter adapter)
    {
        Definition = definition;
        Adapter = adapter;
        Slots = new SemaphoreSlim(definition.MaxConcurrency, definition.MaxConcurrency);
    }

    public object Gate { get; } = new();

    public AgentDefinition Definition { get; set; }

    public IAgentAdapter Adapter { get; }

    public SemaphoreSlim Slots { get; }

    /// <summary>Cancelled by Stop-AiAgent and session end: cancels running tasks and the supervision loop.</summary>
    public CancellationTokenSource Lifetime { get; private set; } = new();

    public AgentStatus Status { get; set; } = AgentStatus.Stopped;

    public string? Preset { get; set; }

    public string? Model { get; set; }

    public int? Pid { get; set; }

    /// <summary>When the process in <see cref="Pid"/> started: the agent's uptime counts from it.</summary>
    public DateTimeOffset? PidSince { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public int ActiveTasks { get; set; }

    /// <summary>The percent a running task last reported (task.status); null when no task runs or none reported.</summary>
    public double? Progress { get; set; }

    public long TasksDone { get; set; }

    public long Errors { get; set; }

    /// <summary>The time this session's ended tasks took on the agent, together: the metrics' mean response time.</summary>
    public TimeSpan TaskTime { get; set; }

    /// <summary>The time to first output of this session's ended tasks that had output, together, and how many they were.</summary>
    public TimeSpan FirstTokenTime { get; set; }

    public long FirstTokens { get; set; }

    public int Restarts { get; set; }

    public string? LastError { get; set; }

    /// <summary>The id of <see cref="LastError"/>'s cause, so a later task refused for it names the same cause.</summary>
    public ErrorId LastErrorId { get; set; } = ErrorId.AgentNotResponding;

    /// <summary>Why the agent is being stopped when another process asked for it (the Stopped status change carries it).</summary>
    public string? StopReason { get; set; }

    /// <summary>The preset given to Start-AiAgent, used by every task until the agent stops.</summary>
    public string? PresetOverride { get; set; }

    public string? WorkingDirectory { get; set; }

    public AgentLaunch? Launch { get; set; }

    /// <summary>Every secret value any launch of this agent was given: masked in its log, results and errors.</summary>
    public SecretRedactor Redactor { get; } = new();

    public ILongLivedAgent? Live { get; set; }

    public Task Supervision { get; set; } = Task.CompletedTask;

    /// <summary>Completed when a (re)started long-lived agent is ready; faulted when it gave up.</summary>
    public TaskCompletionSource Ready { get; set; } = NewReady();

    /// <summary>Serialises environment switches of a long-lived agent.</summary>
    public SemaphoreSlim SwitchGate { get; } = new(1, 1);

    public bool IsActive => Status is not (AgentStatus.Stopped or AgentStatus.Error);

    public static TaskCompletionSource NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A fresh lifetime for a new start (the old one was cancelled by the last stop).</summary>
    public void Renew()
    {
        Lifetime.Dispose();
        Lifetime = new CancellationTokenSource();
        Ready = NewReady();
        Restarts = 0;
        LastError = null;
        StopReason = null;
        LastErrorId = ErrorId.AgentNotResponding;
    }

    /// <summary>Status from the load: idle with no task, busy when every slot is taken, running between.</summary>
    public AgentStatus LoadStatus()
        => ActiveTasks == 0 ? AgentStatus.Idle : ActiveTasks >= Definition.MaxConcurrency ? AgentStatus.Busy : AgentStatus.Running;

    /// <summary>A per-task agent's task process started (call under <see cref="Gate"/>).</summary>
    public void TaskProcessStarted(int pid, DateTimeOffset at)
    {
        _taskProcesses.Add((pid, at));
        (Pid, PidSince) = (pid, at);
    }

    /// <summary>A per-task agent's task process is done with (call under <see cref="Gate"/>).</summary>
    public void TaskProcessEnded(int pid)
    {
        _taskProcesses.RemoveAll(p => p.Pid == pid);
        (Pid, PidSince) = _taskProcesses.Count > 0 ? (_taskProcesses[^1].Pid, _taskProcesses[^1].Since) : ((int?)null, (DateTimeOffset?)null);
    }

    public void Track(Task task)
    {
        lock (_running)
        {
            _running.Add(task);
        }

        _ = task.ContinueWith(t => { lock (_running) { _running.Remove(t); } }, TaskScheduler.Default);
    }

    public Task[] RunningTasks()
    {
        lock (_running)
        {
            return [.. _running];
        }
    }
}
