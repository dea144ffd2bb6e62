using System.Text.Json;
using AiSwitch.Agent.Tests.Support;
using AiSwitch.Protocol;

namespace AiSwitch.Agent.Tests;

/// <summary>What the agent asks of the coordinator (locks, queries) and the events it publishes when subscribed to.</summary>
public sealed class AgentCoordinationTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_task_holds_a_coordination_lock_while_it_runs()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();

        await coordinator.RunAsync("t1", metadata: new() { ["lock"] = "repo-main" });
        var acquired = await coordinator.Locks.NextAsync();
        var released = await coordinator.Unlocks.NextAsync();

        Assert.Equal("repo-main", acquired.LockName);
        Assert.Equal(LockType.Exclusive, acquired.LockType);
        Assert.True(acquired.Timeout > 0);
        Assert.Equal("lock-repo-main-1", released.LockId);
    }

    [Fact(Timeout = 60_000)]
    public async Task Subscribed_events_are_published_with_matching_filters_and_stop_after_unsubscribe()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        var all = await coordinator.Connection.InvokeAsync(AgentProtocol.EventSubscribe, new SubscribeParams { EventTypes = ["task.completed", "env.switched"] }).Within();
        var filtered = await coordinator.Connection.InvokeAsync(AgentProtocol.EventSubscribe, new SubscribeParams
        {
            EventTypes = ["custom.ping"],
            Filter = new() { ["task_id"] = JsonSerializer.SerializeToElement("wanted") },
        }).Within();

        await coordinator.RunAsync("unwanted", metadata: new() { ["publish_event"] = "custom.ping" });
        await coordinator.RunAsync("wanted", metadata: new() { ["publish_event"] = "custom.ping" });
        await coordinator.Connection.InvokeAsync(AgentProtocol.EnvSwitch, new SwitchEnvParams { Preset = "p2" }).Within();

        var ping = await coordinator.Events.NextAsync(e => e.EventType == "custom.ping");
        var completed = await coordinator.Events.NextAsync(e => e.EventType == "task.completed" && e.Data.GetProperty("task_id").GetString() == "wanted");
        var switched = await coordinator.Events.NextAsync(e => e.EventType == "env.switched");
        Assert.Equal("wanted", ping.Data.GetProperty("task_id").GetString());
        Assert.Equal("agent-under-test", ping.AgentId);
        Assert.Equal("completed", completed.Data.GetProperty("status").GetString());
        Assert.Equal("p2", switched.Data.GetProperty("preset").GetString());

        var removed = await coordinator.Connection.InvokeAsync(AgentProtocol.EventUnsubscribe, new UnsubscribeParams { SubscriptionId = all.SubscriptionId }).Within();
        var again = await coordinator.Connection.InvokeAsync(AgentProtocol.EventUnsubscribe, new UnsubscribeParams { SubscriptionId = all.SubscriptionId }).Within();
        await coordinator.RunAsync("after-unsubscribe");
        await coordinator.Connection.InvokeAsync(AgentProtocol.EnvSwitch, new SwitchEnvParams { Preset = "p3" }).Within();

        // Events go out in order, so once this sentinel has arrived, anything the agent wrongly sent before it has too.
        await coordinator.Connection.InvokeAsync(AgentProtocol.EventSubscribe, new SubscribeParams { EventTypes = ["env.rolled_back"] }).Within();
        await coordinator.Connection.InvokeAsync(AgentProtocol.EnvSnapshot, new CreateSnapshotParams { SnapshotId = "s" }).Within();
        await coordinator.Connection.InvokeAsync(AgentProtocol.EnvRollback, new RollbackParams { SnapshotId = "s" }).Within();
        await coordinator.Events.NextAsync(e => e.EventType == "env.rolled_back");

        Assert.True(removed.Removed);
        Assert.False(again.Removed);
        Assert.NotEqual(all.SubscriptionId, filtered.SubscriptionId);
        Assert.DoesNotContain(coordinator.Events.All, e => e.EventType == "custom.ping" && e.Data.GetProperty("task_id").GetString() == "unwanted");
        Assert.DoesNotContain(coordinator.Events.All, e => e.Data.TryGetProperty("task_id", out var id) && id.GetString() == "after-unsubscribe");
        Assert.DoesNotContain(coordinator.Events.All, e => e.EventType == "env.switched" && e.Data.GetProperty("preset").GetString() == "p3");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_tasks_final_event_arrives_before_its_task_assign_answer()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        await coordinator.Connection.InvokeAsync(AgentProtocol.EventSubscribe, new SubscribeParams { EventTypes = ["task.completed", "task.failed"] }).Within();

        // A coordinator stops listening for a task's events once its answer is in; nothing may come after it.
        await coordinator.AssignAsync("ok").Within();
        var afterOk = coordinator.Events.All.Select(e => (e.EventType, e.Data.GetProperty("task_id").GetString())).ToList();
        await coordinator.AssignAsync("bad", metadata: new() { ["fail"] = "broken" }).Within();
        var afterBad = coordinator.Events.All.Select(e => (e.EventType, e.Data.GetProperty("task_id").GetString())).ToList();

        Assert.Contains(("task.completed", "ok"), afterOk);
        Assert.Contains(("task.failed", "bad"), afterBad);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_agent_accepts_events_published_to_it()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();

        var result = await coordinator.Connection.InvokeAsync(AgentProtocol.EventPublish, new PublishEventParams
        {
            EventType = "quota.warning",
            Data = JsonSerializer.SerializeToElement(new { agent = "agent-under-test", used = 0.8 }),
        }).Within();

        Assert.True(result.Accepted);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_task_can_query_the_coordinators_metrics_and_token_summary()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync("--metrics-ms", "20");
        await coordinator.MetricsReports.NextAsync();
        await coordinator.RunAsync("spend", metadata: new() { ["input_tokens"] = 10, ["output_tokens"] = 5 });
        await coordinator.TokenReports.NextAsync();

        var metrics = await coordinator.RunAsync("ask-metrics", metadata: new() { ["query"] = "metrics" });
        var tokens = await coordinator.RunAsync("ask-tokens", metadata: new() { ["query"] = "tokens" });

        var metricsAnswer = JsonDocument.Parse(metrics.Result!).RootElement;
        var tokensAnswer = JsonDocument.Parse(tokens.Result!).RootElement;
        Assert.True(metricsAnswer.GetProperty("total_count").GetInt32() >= 1);
        Assert.Equal(15, tokensAnswer.GetProperty("total_usage").GetProperty("total_tokens").GetInt64());
        Assert.Equal(MetricAggregation.Avg, (await coordinator.MetricsQueries.NextAsync()).Aggregation);
        Assert.Equal(Timeframe.Day, (await coordinator.TokenSummaries.NextAsync()).Timeframe);
    }
}
