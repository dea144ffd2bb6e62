using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using AiSwitch.Core.Locking;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents.Adapters;

/// <content>
/// The methods the agent calls on the coordinator: coordination.heartbeat (its health), metrics.report and tokens.usage
/// (kept and raised as events for the registry, metrics and usage to take), event.publish (to the running task's
/// observer), and coordination.lock / coordination.unlock through the home's file locks, held by this agent and
/// released when it exits.
/// </content>
internal sealed partial class JsonRpcAgent
{
    private readonly ConcurrentDictionary<string, TaskWatch> _observers = new(StringComparer.Ordinal);
    private AgentMetrics? _lastMetrics;

    /// <summary>Raised for each metrics.report.</summary>
    public event Action<AgentMetrics>? MetricsReported;

    /// <summary>Raised for each tokens.usage, with the task id.</summary>
    public event Action<string, TokenUsage>? TokensReported;

    /// <summary>Raised for each event the agent publishes (task.started, task.completed, env.switched…).</summary>
    public event Action<PublishEventParams>? EventPublished;

    /// <summary>The agent's last metrics.report, if any.</summary>
    public AgentMetrics? LastMetrics => Volatile.Read(ref _lastMetrics);

    /// <summary>Locks the agent holds now (coordination.lock).</summary>
    public IReadOnlyList<Lock> HeldLocks => _locks.Held;

    private void RegisterServedMethods()
    {
        _connection.AddMethod(AgentProtocol.CoordinationHeartbeat, (_, _) =>
        {
            Touch();
            return ValueTask.FromResult(new HeartbeatResult { AcknowledgedAt = _clock.GetUtcNow(), ServerTime = _clock.GetUtcNow() });
        });
        _connection.AddMethod(AgentProtocol.MetricsReport, (parameters, _) =>
        {
            Touch();
            Volatile.Write(ref _lastMetrics, parameters.Metrics);
            MetricsReported?.Invoke(parameters.Metrics);
            return ValueTask.FromResult(new ReportMetricsResult { ReportedAt = _clock.GetUtcNow(), Accepted = true });
        });
        _connection.AddMethod(AgentProtocol.TokensUsage, (parameters, _) =>
        {
            TokensReported?.Invoke(parameters.TaskId, parameters.Usage);
            return ValueTask.FromResult(new ReportTokenUsageResult { RecordedAt = _clock.GetUtcNow(), Accepted = true });
        });
        _connection.AddMethod(AgentProtocol.EventPublish, (parameters, _) =>
        {
            var delivered = 0;
            if (TaskIdOf(parameters.Data) is { } taskId && _observers.TryGetValue(taskId, out var watch))
            {
                if (!Lifecycle.Contains(parameters.EventType))
                {
                    watch.Output();
                }

                watch.Observer.OnEvent(parameters.EventType);
                delivered++;
            }

            EventPublished?.Invoke(parameters);
            return ValueTask.FromResult(new PublishEventResult { Accepted = true, Delivered = delivered });
        });
        _connection.AddMethod(AgentProtocol.CoordinationLock, LockAsync);
        _connection.AddMethod(AgentProtocol.CoordinationUnlock, (parameters, _) =>
        {
            _locks.Release(lockId: parameters.LockId);
            return ValueTask.FromResult(new ReleaseLockResult { LockId = parameters.LockId, ReleasedAt = _clock.GetUtcNow() });
        });
    }

    private async ValueTask<AcquireLockResult> LockAsync(AcquireLockParams parameters, CancellationToken cancellationToken)
    {
        var handle = await _locks.AcquireAsync(new AcquireLockRequest(parameters.LockName)
        {
            Mode = parameters.LockType == LockType.Shared ? LockMode.Shared : LockMode.Exclusive,
            Timeout = parameters.Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        }, cancellationToken).ConfigureAwait(false);
        return new AcquireLockResult
        {
            LockId = handle.LockId,
            AcquiredAt = handle.Lock.AcquiredAt,
            ExpiresAt = handle.Lock.ExpiresAt ?? DateTimeOffset.MaxValue,
        };
    }

    /// <summary>Events that say where a task is, not what it produced: they do not count as its first output.</summary>
    private static readonly HashSet<string> Lifecycle = new(["task.started", "task.completed", "task.failed", "task.cancelled"], StringComparer.Ordinal);

    private TaskWatch Watch(string taskId, IAgentRunObserver observer) => _observers[taskId] = new TaskWatch(observer);

    private void Unwatch(string taskId) => _observers.TryRemove(taskId, out _);

    private static string? TaskIdOf(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("task_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>A running task's observer and its time to first output: its first progress or output event, or its answer.</summary>
    private sealed class TaskWatch(IAgentRunObserver observer)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private long _firstOutput;

        public IAgentRunObserver Observer { get; } = observer;

        public TimeSpan? FirstToken => Interlocked.Read(ref _firstOutput) is var at and not 0 ? Stopwatch.GetElapsedTime(_started, at) : null;

        public void Output()
        {
            if (Interlocked.CompareExchange(ref _firstOutput, Stopwatch.GetTimestamp(), 0) == 0)
            {
                Observer.OnFirstToken();
            }
        }
    }
}
