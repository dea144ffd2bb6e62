using System.Text.Json;
using AiSwitch.Core.Protocol;

namespace AiSwitch.Agent;

/// <content>
/// event.subscribe and event.unsubscribe (the coordinator chooses which of the agent's events it wants), event.publish from
/// the coordinator (handed to the agent's hook), and the agent's own events: task.started, task.completed, task.failed,
/// task.cancelled, env.switched, env.rolled_back.
/// </content>
internal sealed partial class AgentRuntime
{
    private void RegisterEvents()
    {
        _connection.AddMethod(AgentProtocol.EventSubscribe, (parameters, _) => ValueTask.FromResult(new SubscribeResult
        {
            SubscriptionId = _subscriptions.Add(parameters.EventTypes, parameters.Filter),
            EventTypes = parameters.EventTypes,
        }));
        _connection.AddMethod(AgentProtocol.EventUnsubscribe, (parameters, _) => ValueTask.FromResult(new UnsubscribeResult
        {
            SubscriptionId = parameters.SubscriptionId,
            Removed = _subscriptions.Remove(parameters.SubscriptionId),
        }));
        _connection.AddMethod(AgentProtocol.EventPublish, async (parameters, cancellationToken) =>
        {
            await _agent.OnEventAsync(parameters, cancellationToken).ConfigureAwait(false);
            return new PublishEventResult { Accepted = true, Delivered = 1 };
        });
    }

    /// <summary>Queues one of the agent's own events for the coordinator, if it subscribed to it; never waits.</summary>
    private void Publish(string eventType, string? taskId, AgentTaskStatus? status, params (string Name, string Value)[] fields)
    {
        if (_subscriptions.IsEmpty)
        {
            return;
        }

        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (taskId is not null)
        {
            data["task_id"] = taskId;
        }

        if (status is { } known)
        {
            data["status"] = JsonSerializer.SerializeToElement(known, ProtocolJsonContext.Default.AgentTaskStatus).GetString()!;
        }

        foreach (var (name, value) in fields)
        {
            data[name] = value;
        }

        _coordinator.TryQueueEvent(eventType, JsonSerializer.SerializeToElement(data, AgentJsonContext.Default.DictionaryStringString));
    }
}
