using System.Text.Json;
using AiSwitch.Core.Agents;

namespace AiSwitch.Core.Tests.Agents;

/// <summary>The session's event hub for subscribed agents: types, filters, and the bound that keeps a slow subscriber from holding anyone up.</summary>
public sealed class CoordinatorEventsTests
{
    private readonly CoordinatorEvents _events = new(TimeProvider.System);

    [Fact]
    public void ASubscriptionTakesItsTypesWhoseDataMatchesItsFilter()
    {
        var claudeOnly = _events.Subscribe("watcher", ["task.completed"], new Dictionary<string, JsonElement> { ["agent_id"] = JsonSerializer.SerializeToElement("claude") });
        var everything = _events.Subscribe("logger", ["*"], null);

        _events.Publish("task.completed", "codex", Data("t1", "codex"));
        _events.Publish("task.started", "claude", Data("t2", "claude"));
        _events.Publish("task.completed", "claude", Data("t2", "claude"));

        Assert.Equal(["t2"], Drain(claudeOnly).Select(e => e.Data.GetProperty("task_id").GetString()));
        Assert.Equal(["task.completed", "task.started", "task.completed"], Drain(everything).Select(e => e.EventType));
    }

    [Fact]
    public void ASubscriberThatFallsBehindIsClosedWithTheReasonAndNobodyElseWaits()
    {
        var slow = _events.Subscribe("slow-agent", ["task.completed"], null);
        var quick = _events.Subscribe("quick-agent", ["task.completed"], null);
        var quickSeen = 0;

        // Publishing never waits: the slow subscriber's queue fills, and the next event closes it instead of blocking.
        for (var i = 0; i <= CoordinatorEvents.QueueLimit; i++)
        {
            _events.Publish("task.completed", "claude", Data($"t{i}", "claude"));
            quickSeen += Drain(quick).Count;
        }

        var delivered = Drain(slow);
        Assert.Equal(CoordinatorEvents.QueueLimit, delivered.Count);
        Assert.Equal("t0", delivered[0].Data.GetProperty("task_id").GetString());
        Assert.True(slow.Events.Completion.IsCompleted);
        Assert.Contains($"Subscription '{slow.Id}' of agent 'slow-agent' was closed: {CoordinatorEvents.QueueLimit} events were waiting", slow.ClosedReason, StringComparison.Ordinal);
        Assert.Contains("Subscribe again (event.subscribe)", slow.ClosedReason, StringComparison.Ordinal);
        Assert.Equal(CoordinatorEvents.QueueLimit + 1, quickSeen);
        Assert.Null(quick.ClosedReason);
        Assert.Equal(1, _events.Count);
    }

    [Fact]
    public void OneAgentCannotEndAnothersSubscription()
    {
        var mine = _events.Subscribe("mine", ["*"], null);

        Assert.False(_events.Unsubscribe("intruder", mine.Id));
        Assert.True(_events.Unsubscribe("mine", mine.Id));
        Assert.False(_events.Unsubscribe("mine", mine.Id));
        Assert.Null(mine.ClosedReason);
    }

    [Fact]
    public void ASubscriptionWithoutEventTypesIsInvalidParams()
    {
        var error = Assert.Throws<AiSwitchException>(() => _events.Subscribe("agent", [], null));

        Assert.Equal((ErrorId.RpcInvalidParams, -32602), (error.Id, error.Id.Code()));
        Assert.Contains("event_types", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Data(string taskId, string agent) => new() { ["task_id"] = taskId, ["agent_id"] = agent };

    private static List<AiSwitch.Protocol.PublishEventParams> Drain(EventSubscription subscription)
    {
        var events = new List<AiSwitch.Protocol.PublishEventParams>();
        while (subscription.Events.TryRead(out var published))
        {
            events.Add(published);
        }

        return events;
    }
}
