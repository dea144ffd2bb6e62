using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<string, IAgentRunObserver> _observers = new(StringComparer.Ordinal);
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
            if (TaskIdOf(parameters.Data) is { } taskId && _observers.TryGetValue(taskId, out var observer))
            {
                observer.OnEvent(parameters.EventType);
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

    private void Watch(string taskId, IAgentRunObserver observer) => _observers[taskId] = observer;

    private void Unwatch(string taskId) => _observers.TryRemove(taskId, out _);

    private static string? TaskIdOf(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("task_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
