using System.Text.Json;

namespace AiSwitch.Agent;

/// <summary>
/// The coordinator's event.subscribe subscriptions. The agent publishes an event (event.publish to the coordinator) only
/// when some subscription takes its type (or "*") and every key of that subscription's filter equals the same top-level
/// member of the event's data, compared as text.
/// </summary>
internal sealed class EventSubscriptions
{
    public const string AnyType = "*";

    private readonly object _gate = new();
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>True when nobody subscribed to anything: the agent then skips building its events at all.</summary>
    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    public string Add(IReadOnlyList<string> eventTypes, IReadOnlyDictionary<string, JsonElement>? filter)
    {
        if (eventTypes.Count == 0)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, "event.subscribe needs at least one event type in 'event_types' (or \"*\" for all).", "event_types");
        }

        var id = $"sub-{Guid.NewGuid():N}";
        lock (_gate)
        {
            _subscriptions.Add(id, new Subscription(eventTypes.ToHashSet(StringComparer.Ordinal), filter ?? new Dictionary<string, JsonElement>()));
            Volatile.Write(ref _count, _subscriptions.Count);
        }

        return id;
    }

    /// <summary>False when no subscription has this id (already removed, or never made here).</summary>
    public bool Remove(string subscriptionId)
    {
        lock (_gate)
        {
            var removed = _subscriptions.Remove(subscriptionId);
            Volatile.Write(ref _count, _subscriptions.Count);
            return removed;
        }
    }

    public bool Wants(string eventType, JsonElement data)
    {
        lock (_gate)
        {
            foreach (var subscription in _subscriptions.Values)
            {
                if ((subscription.Types.Contains(eventType) || subscription.Types.Contains(AnyType)) && Matches(subscription.Filter, data))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static bool Matches(IReadOnlyDictionary<string, JsonElement> filter, JsonElement data)
    {
        foreach (var (key, expected) in filter)
        {
            if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(key, out var actual) || Text(actual) != Text(expected))
            {
                return false;
            }
        }

        return true;
    }

    private static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : value.GetRawText();

    private sealed record Subscription(HashSet<string> Types, IReadOnlyDictionary<string, JsonElement> Filter);
}
