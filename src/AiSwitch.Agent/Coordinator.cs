using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using AiSwitch.Protocol;
using AiSwitch.Rpc;

namespace AiSwitch.Agent;

/// <summary>
/// The calls an agent makes to its coordinator over the same connection: coordination locks, events, token and metrics
/// reports and queries. Every call fails with an <see cref="AiSwitchException"/> when the coordinator answers
/// with an error, does not answer within <see cref="AgentHostOptions.CoordinatorCallTimeout"/>, or is gone.
/// Events go out one at a time in the order they were published (the agent's own and the author's alike), so the coordinator
/// never sees a task's task.completed before its task.started.
/// </summary>
public sealed class Coordinator
{
    // The contracts are taken from the context call by call (it creates each once), not from AgentProtocol, whose first
    // use builds all 44 at once: see AgentRuntime.Serve.
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private readonly Channel<OutgoingEvent> _events = Channel.CreateUnbounded<OutgoingEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<string> _log;
    private readonly JsonRpcConnection _connection;
    private readonly EventSubscriptions _subscriptions;
    private readonly Func<string> _agentId;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _timeout;

    internal Coordinator(JsonRpcConnection connection, EventSubscriptions subscriptions, Func<string> agentId, TimeProvider clock, TimeSpan timeout, Action<string> log)
    {
        _log = log;
        _connection = connection;
        _subscriptions = subscriptions;
        _agentId = agentId;
        _clock = clock;
        _timeout = timeout;
    }

    /// <summary>coordination.lock: waits for the coordinator to grant the lock and returns its lock id (for <see cref="UnlockAsync"/>).</summary>
    public async Task<string> LockAsync(string lockName, CancellationToken cancellationToken, TimeSpan? timeout = null, LockType lockType = LockType.Exclusive)
    {
        var wait = timeout ?? _timeout;
        var parameters = new AcquireLockParams { LockName = lockName, Timeout = wait.TotalSeconds, LockType = lockType };

        // The call itself may take as long as the lock wait, plus the usual allowance for the answer.
        var result = await _connection.InvokeAsync(ProtocolMethods.CoordinationLock, parameters, Json.AcquireLockParams, Json.AcquireLockResult, wait + _timeout, cancellationToken).ConfigureAwait(false);
        return result.LockId;
    }

    /// <summary>coordination.unlock.</summary>
    public Task UnlockAsync(string lockId, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(ProtocolMethods.CoordinationUnlock, new ReleaseLockParams { LockId = lockId }, Json.ReleaseLockParams, Json.ReleaseLockResult, _timeout, cancellationToken);

    /// <summary>
    /// event.publish, if the coordinator subscribed to <paramref name="eventType"/> (event.subscribe) with a filter the data
    /// matches; otherwise nothing is sent and the result is false. Completes once the coordinator has the event.
    /// </summary>
    public async Task<bool> PublishEventAsync<T>(string eventType, T data, JsonTypeInfo<T> dataTypeInfo, CancellationToken cancellationToken)
    {
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!TryQueueEvent(eventType, JsonSerializer.SerializeToElement(data, dataTypeInfo), delivered))
        {
            return false;
        }

        await delivered.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>event.publish with string fields as data; see <see cref="PublishEventAsync{T}"/>.</summary>
    public Task<bool> PublishEventAsync(string eventType, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken) =>
        PublishEventAsync(eventType, data.ToDictionary(), AgentJsonContext.Default.DictionaryStringString, cancellationToken);

    /// <summary>Queues an event if some subscription wants it; <paramref name="delivered"/> (if any) completes when it has been sent.</summary>
    internal bool TryQueueEvent(string eventType, JsonElement data, TaskCompletionSource? delivered = null)
    {
        if (!_subscriptions.Wants(eventType, data))
        {
            return false;
        }

        var parameters = new PublishEventParams { EventType = eventType, Data = data, Timestamp = _clock.GetUtcNow(), AgentId = _agentId() };
        if (!_events.Writer.TryWrite(new OutgoingEvent(parameters, delivered)))
        {
            // The agent is stopping: the event is dropped like the others still queued.
            delivered?.TrySetCanceled(CancellationToken.None);
        }

        return true;
    }

    /// <summary>Sends queued events one after another until <paramref name="cancellationToken"/> fires.</summary>
    internal async Task SendEventsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var outgoing in _events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await _connection.InvokeAsync(ProtocolMethods.EventPublish, outgoing.Parameters, Json.PublishEventParams, Json.PublishEventResult, _timeout, cancellationToken).ConfigureAwait(false);
                    outgoing.Delivered?.TrySetResult();
                }
                catch (Exception e) when (e is AiSwitchException or OperationCanceledException)
                {
                    _log($"event.publish {outgoing.Parameters.EventType} failed: {e.Message}");
                    outgoing.Delivered?.TrySetException(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The agent is stopping.
        }
        finally
        {
            _events.Writer.TryComplete();
            while (_events.Reader.TryRead(out var dropped))
            {
                dropped.Delivered?.TrySetCanceled(CancellationToken.None);
            }
        }
    }

    /// <summary>tokens.usage: reports what one task spent.</summary>
    public Task ReportTokenUsageAsync(string taskId, TokenUsage usage, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(ProtocolMethods.TokensUsage, new ReportTokenUsageParams { TaskId = taskId, Usage = usage }, Json.ReportTokenUsageParams, Json.ReportTokenUsageResult, _timeout, cancellationToken);

    /// <summary>metrics.report. The host already reports on its own interval; call this for extra reports.</summary>
    public Task ReportMetricsAsync(AgentMetrics metrics, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(ProtocolMethods.MetricsReport, new ReportMetricsParams { Metrics = metrics }, Json.ReportMetricsParams, Json.ReportMetricsResult, _timeout, cancellationToken);

    /// <summary>metrics.query: the coordinator's stored metrics (every agent's when <see cref="QueryMetricsParams.AgentId"/> is left out).</summary>
    public Task<QueryMetricsResult> QueryMetricsAsync(QueryMetricsParams query, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(ProtocolMethods.MetricsQuery, query, Json.QueryMetricsParams, Json.QueryMetricsResult, _timeout, cancellationToken);

    /// <summary>tokens.summary: the coordinator's token ledger summed up, for an agent that budgets its own spending.</summary>
    public Task<TokenSummaryResult> TokenSummaryAsync(TokenSummaryParams query, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(ProtocolMethods.TokensSummary, query, Json.TokenSummaryParams, Json.TokenSummaryResult, _timeout, cancellationToken);

    /// <summary>
    /// event.subscribe: asks the coordinator for its own events (agent.started, task.completed… see docs/protocol.md) of
    /// <paramref name="eventTypes"/> ("*" for all); they arrive as event.publish calls, handed to the agent's
    /// <c>OnEventAsync</c>, until <see cref="UnsubscribeAsync"/> or the end of the connection.
    /// </summary>
    public Task<SubscribeResult> SubscribeAsync(IReadOnlyList<string> eventTypes, CancellationToken cancellationToken, Dictionary<string, JsonElement>? filter = null) =>
        _connection.InvokeAsync(ProtocolMethods.EventSubscribe, new SubscribeParams { EventTypes = [.. eventTypes], Filter = filter }, Json.SubscribeParams, Json.SubscribeResult, _timeout, cancellationToken);

    /// <summary>event.unsubscribe: ends a subscription made with <see cref="SubscribeAsync"/>; false when the coordinator had none by that id.</summary>
    public async Task<bool> UnsubscribeAsync(string subscriptionId, CancellationToken cancellationToken) =>
        (await _connection.InvokeAsync(ProtocolMethods.EventUnsubscribe, new UnsubscribeParams { SubscriptionId = subscriptionId }, Json.UnsubscribeParams, Json.UnsubscribeResult, _timeout, cancellationToken).ConfigureAwait(false)).Removed;

    internal Task<HeartbeatResult> HeartbeatAsync(HeartbeatParams beat, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(ProtocolMethods.CoordinationHeartbeat, beat, Json.HeartbeatParams, Json.HeartbeatResult, _timeout, cancellationToken);

    private sealed record OutgoingEvent(PublishEventParams Parameters, TaskCompletionSource? Delivered);
}
