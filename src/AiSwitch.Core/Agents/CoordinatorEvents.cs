using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Agents;

/// <summary>
/// The session's own events, for agents that asked for them with event.subscribe: agent.started, agent.stopped,
/// agent.failed and task.started, task.completed, task.failed (docs/protocol.md, "Coordinator events"). Publishing
/// never waits: each subscription has a queue of <see cref="QueueLimit"/> events, and one that is full is closed with
/// the reason rather than held, so an agent that does not keep up cannot slow the coordinator or the other subscribers.
/// </summary>
internal sealed class CoordinatorEvents
{
    public const int QueueLimit = 256;

    private readonly ConcurrentDictionary<string, EventSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public CoordinatorEvents(TimeProvider clock) => _clock = clock;

    public static CoordinatorEvents For(AiSession session) => session.GetService(s => new CoordinatorEvents(s.Clock));

    /// <summary>Raised when a subscription is added (after it takes events).</summary>
    public event Action<EventSubscription>? Subscribed;

    public int Count => _subscriptions.Count;

    /// <summary>A new subscription for <paramref name="owner"/> (the agent's name) to events of <paramref name="types"/> ("*" for all).</summary>
    public EventSubscription Subscribe(string owner, IReadOnlyList<string> types, IReadOnlyDictionary<string, JsonElement>? filter)
    {
        if (types.Count == 0 || types.Any(string.IsNullOrWhiteSpace))
        {
            throw new AiSwitchException(ErrorId.RpcInvalidParams,
                "event.subscribe needs at least one event type in 'event_types', and no empty one (\"*\" takes every type).", "event_types");
        }

        var subscription = new EventSubscription($"sub-{Guid.NewGuid():N}", owner, [.. types], filter ?? new Dictionary<string, JsonElement>());
        _subscriptions[subscription.Id] = subscription;
        Subscribed?.Invoke(subscription);
        return subscription;
    }

    /// <summary>Ends a subscription of <paramref name="owner"/>; false when it has none by that id (one agent cannot end another's).</summary>
    public bool Unsubscribe(string owner, string subscriptionId)
    {
        if (!_subscriptions.TryGetValue(subscriptionId, out var subscription) || !subscription.Owner.Equals(owner, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        _subscriptions.TryRemove(subscriptionId, out _);
        subscription.Close(null);
        return true;
    }

    /// <summary>Offers the event to every subscription that takes it; returns how many queued it.</summary>
    public int Publish(string eventType, string? agent, IReadOnlyDictionary<string, string> data)
    {
        if (_subscriptions.IsEmpty)
        {
            return 0;
        }

        var payload = Payload(data);
        var published = new PublishEventParams { EventType = eventType, Data = payload, Timestamp = _clock.GetUtcNow(), AgentId = agent };
        var queued = 0;
        foreach (var subscription in _subscriptions.Values)
        {
            if (!subscription.Takes(eventType, payload))
            {
                continue;
            }

            if (subscription.TryQueue(published))
            {
                queued++;
            }
            else
            {
                _subscriptions.TryRemove(subscription.Id, out _);
                subscription.Close(
                    $"Subscription '{subscription.Id}' of agent '{subscription.Owner}' was closed: {QueueLimit} events were waiting for it, " +
                    $"the agent did not take them (event.publish) as fast as they came. Subscribe again (event.subscribe), and answer event.publish promptly.");
            }
        }

        return queued;
    }

    private static JsonElement Payload(IReadOnlyDictionary<string, string> data)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in data)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Ends every subscription of an agent that has gone.</summary>
    public void UnsubscribeAll(string owner)
    {
        foreach (var subscription in _subscriptions.Values.Where(s => s.Owner.Equals(owner, StringComparison.OrdinalIgnoreCase)))
        {
            Unsubscribe(owner, subscription.Id);
        }
    }
}

/// <summary>One agent's event.subscribe: the types and filter it asked for, and its bounded queue of events to send.</summary>
internal sealed class EventSubscription
{
    private readonly Channel<PublishEventParams> _queue = Channel.CreateBounded<PublishEventParams>(
        new BoundedChannelOptions(CoordinatorEvents.QueueLimit) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly HashSet<string> _types;
    private readonly IReadOnlyDictionary<string, JsonElement> _filter;

    public EventSubscription(string id, string owner, HashSet<string> types, IReadOnlyDictionary<string, JsonElement> filter)
    {
        Id = id;
        Owner = owner;
        _types = types;
        _filter = filter;
    }

    public string Id { get; }

    public string Owner { get; }

    public IReadOnlyCollection<string> Types => _types;

    /// <summary>Why the coordinator closed it (it fell behind); null while open or when it was unsubscribed.</summary>
    public string? ClosedReason { get; private set; }

    /// <summary>The events to send, in order; ends when the subscription is closed (after what was queued before).</summary>
    public ChannelReader<PublishEventParams> Events => _queue.Reader;

    /// <summary>
    /// Its type is asked for (or "*") and every filter key equals the same top-level member of the data, compared as
    /// text, as the agent SDK matches the coordinator's subscriptions.
    /// </summary>
    public bool Takes(string eventType, JsonElement data)
    {
        if (!_types.Contains(eventType) && !_types.Contains("*"))
        {
            return false;
        }

        foreach (var (key, expected) in _filter)
        {
            if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(key, out var actual) || Text(actual) != Text(expected))
            {
                return false;
            }
        }

        return true;
    }

    internal bool TryQueue(PublishEventParams published) => _queue.Writer.TryWrite(published);

    internal void Close(string? reason)
    {
        ClosedReason ??= reason;
        _queue.Writer.TryComplete();
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : value.GetRawText();
}

/// <summary>The event types the coordinator publishes to subscribed agents (docs/protocol.md, "Coordinator events").</summary>
internal static class CoordinatorEventTypes
{
    public const string AgentStarted = "agent.started";
    public const string AgentStopped = "agent.stopped";
    public const string AgentFailed = "agent.failed";
    public const string TaskStarted = "task.started";
    public const string TaskCompleted = "task.completed";
    public const string TaskFailed = "task.failed";

    /// <summary>Sent once, as a notification, when the coordinator closed a subscription the agent did not keep up with.</summary>
    public const string SubscriptionClosed = "event.subscription_closed";
}
