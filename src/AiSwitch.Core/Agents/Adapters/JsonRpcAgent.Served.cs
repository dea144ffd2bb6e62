using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using AiSwitch.Core.Locking;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents.Adapters;

/// <content>
/// The methods the agent calls on the coordinator: coordination.heartbeat (its health), metrics.report (stored with the
/// session's samples) and tokens.usage (raised for the registry and usage to take), metrics.query and tokens.summary
/// (answered from the session's Metrics and Usage doors), event.subscribe / event.unsubscribe (the session's own events,
/// sent to the agent as event.publish calls one at a time), event.publish (to the running task's observer), and
/// coordination.lock / coordination.unlock through the home's file locks, held by this agent and released when it exits.
/// </content>
internal sealed partial class JsonRpcAgent
{
    private readonly ConcurrentDictionary<string, TaskWatch> _observers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EventSubscription> _subscriptions = new(StringComparer.Ordinal);
    private AgentMetrics? _lastMetrics;

    /// <summary>Raised for each metrics.report.</summary>
    public event Action<AgentMetrics>? MetricsReported;

    /// <summary>Raised for each coordination.heartbeat.</summary>
    public event Action<HeartbeatParams>? HeartbeatReceived;

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
        _connection.AddMethod(AgentProtocol.CoordinationHeartbeat, (parameters, _) =>
        {
            Touch();
            HeartbeatReceived?.Invoke(parameters);
            return ValueTask.FromResult(new HeartbeatResult { AcknowledgedAt = _clock.GetUtcNow(), ServerTime = _clock.GetUtcNow() });
        });
        _connection.AddMethod(AgentProtocol.MetricsReport, (parameters, _) =>
        {
            Touch();
            Volatile.Write(ref _lastMetrics, parameters.Metrics);
            _coordinator?.Record(Name, Pid, parameters.Metrics);
            MetricsReported?.Invoke(parameters.Metrics);

            // Outside a session there is no store to keep it in: the report is seen (LastMetrics) but not accepted.
            return ValueTask.FromResult(new ReportMetricsResult { ReportedAt = _clock.GetUtcNow(), Accepted = _coordinator is not null });
        });
        _connection.AddMethod(AgentProtocol.MetricsQuery, (parameters, _) =>
            ValueTask.FromResult(Services(ProtocolMethods.MetricsQuery).QueryMetrics(parameters)));
        _connection.AddMethod(AgentProtocol.TokensSummary, (parameters, _) =>
            ValueTask.FromResult(Services(ProtocolMethods.TokensSummary).TokenSummary(parameters)));
        _connection.AddMethod(AgentProtocol.EventSubscribe, (parameters, _) =>
        {
            // Delivery runs on its own for as long as the subscription lasts; it ends itself and never faults.
            var subscription = Services(ProtocolMethods.EventSubscribe).Events.Subscribe(Name, parameters.EventTypes, parameters.Filter);
            _subscriptions[subscription.Id] = subscription;
            DeliverAsync(subscription).ContinueWith(static _ => { }, TaskScheduler.Default);
            return ValueTask.FromResult(new SubscribeResult { SubscriptionId = subscription.Id, EventTypes = [.. parameters.EventTypes] });
        });
        _connection.AddMethod(AgentProtocol.EventUnsubscribe, (parameters, _) =>
        {
            var removed = _subscriptions.TryRemove(parameters.SubscriptionId, out var _)
                && Services(ProtocolMethods.EventUnsubscribe).Events.Unsubscribe(Name, parameters.SubscriptionId);
            return ValueTask.FromResult(new UnsubscribeResult { SubscriptionId = parameters.SubscriptionId, Removed = removed });
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

    private CoordinatorServices Services(string method) => _coordinator ?? throw new AiSwitchException(ErrorId.ConfigurationError,
        $"{method} is answered only for an agent started in a session (Start-AiAgent, aiswitch agents start); agent '{Name}' runs a single task outside one.",
        method);

    /// <summary>
    /// Sends a subscription's events one at a time, each an event.publish call the agent answers, so an agent that takes
    /// them slowly fills its own bounded queue (and loses the subscription, told why) rather than holding anyone up.
    /// </summary>
    private async Task DeliverAsync(EventSubscription subscription)
    {
        await foreach (var published in subscription.Events.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _connection.InvokeAsync(AgentProtocol.EventPublish, published, _options.StartTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AiSwitchException) when (!_exited.Task.IsCompleted)
            {
                // The agent refused this one or was too slow with it; the next may still go.
            }
            catch (AiSwitchException)
            {
                return;
            }
        }

        _subscriptions.TryRemove(subscription.Id, out _);
        if (subscription.ClosedReason is { } reason && !_exited.Task.IsCompleted)
        {
            var closed = new PublishEventParams
            {
                EventType = CoordinatorEventTypes.SubscriptionClosed,
                Data = JsonSerializer.SerializeToElement(new SubscriptionClosed { SubscriptionId = subscription.Id, Reason = reason }, JsonRpcAgentJsonContext.Default.SubscriptionClosed),
                Timestamp = _clock.GetUtcNow(),
            };
            try
            {
                await _connection.NotifyAsync(AgentProtocol.EventPublish, closed).ConfigureAwait(false);
            }
            catch (AiSwitchException)
            {
                // Gone as well.
            }
        }
    }

    /// <summary>The agent has gone: its subscriptions end with it.</summary>
    private void EndSubscriptions()
    {
        foreach (var id in _subscriptions.Keys)
        {
            if (_subscriptions.TryRemove(id, out _))
            {
                _coordinator?.Events.Unsubscribe(Name, id);
            }
        }
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

/// <summary>The data of the coordinator's event.subscription_closed.</summary>
internal sealed class SubscriptionClosed
{
    public required string SubscriptionId { get; init; }

    public required string Reason { get; init; }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(SubscriptionClosed))]
internal sealed partial class JsonRpcAgentJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
