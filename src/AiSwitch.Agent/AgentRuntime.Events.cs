using System.Text.Json;
using AiSwitch.Protocol;

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
        Serve(ProtocolMethods.EventSubscribe, static j => j.SubscribeParams, static j => j.SubscribeResult, (parameters, _) => ValueTask.FromResult(new SubscribeResult
        {
            SubscriptionId = _subscriptions.Add(parameters.EventTypes, parameters.Filter),
            EventTypes = parameters.EventTypes,
        }));
        Serve(ProtocolMethods.EventUnsubscribe, static j => j.UnsubscribeParams, static j => j.UnsubscribeResult, (parameters, _) => ValueTask.FromResult(new UnsubscribeResult
        {
            SubscriptionId = parameters.SubscriptionId,
            Removed = _subscriptions.Remove(parameters.SubscriptionId),
        }));
        Serve(ProtocolMethods.EventPublish, static j => j.PublishEventParams, static j => j.PublishEventResult, async (parameters, cancellationToken) =>
        {
            await _agent.ReceiveEventAsync(parameters, cancellationToken).ConfigureAwait(false);
            return new PublishEventResult { Accepted = true, Delivered = 1 };
        });
    }

    /// <summary>
    /// Queues one of the agent's own events for the coordinator, if it subscribed to it; never waits. The returned task
    /// completes when the event was sent, dropped or refused, and never faults.
    /// </summary>
    private Task Publish(string eventType, string? taskId, AgentTaskStatus? status, params (string Name, string Value)[] fields)
    {
        if (_subscriptions.IsEmpty)
        {
            return Task.CompletedTask;
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

        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _coordinator.TryQueueEvent(eventType, JsonSerializer.SerializeToElement(data, AgentJsonContext.Default.DictionaryStringString), sent)
            ? sent.Task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            : Task.CompletedTask;
    }
}
