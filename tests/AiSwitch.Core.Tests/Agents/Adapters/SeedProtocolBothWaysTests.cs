using System.Collections.Concurrent;
using System.Text.Json;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Home;
using AiSwitch.Core.Metrics;
using AiSwitch.Core.Tests.Support;
using AiSwitch.Core.Usage;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>
/// Issue 13's acceptance: every seed 003 method, in each direction it goes, between the coordinator (a session's
/// JsonRpcAgent) and the reference agent as a real process, with each answer checked.
/// </summary>
public sealed class SeedProtocolBothWaysTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempHome _home = new();
    private readonly ProcessSupervisor _launcher;
    private readonly AiSession _session;

    public SeedProtocolBothWaysTests()
    {
        _launcher = new ProcessSupervisor(_home.Home.EnsureCreated(), "seed-both-ways");
        _session = new AiSession(_home.Home, new InMemoryEnvironment(new Dictionary<string, string>()));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _launcher.DisposeAsync();
        _session.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task EverySeed003MethodIsCalledInEachOfItsDirectionsAndAnswered()
    {
        var coordinatorCalled = new HashSet<string>(StringComparer.Ordinal);
        var agentCalled = new HashSet<string>(StringComparer.Ordinal);
        var services = CoordinatorServices.For(_session);
        MetricsStore.For(_session).Append([new AgentMetricsSample { Agent = "elsewhere", Timestamp = DateTimeOffset.UtcNow.AddMinutes(-1), CpuPercent = 33 }]);
        TokenLedger.For(_session).Append(new LedgerRecord { Time = DateTimeOffset.UtcNow, Agent = "elsewhere", TaskId = "t0", Model = "gpt-4o", InputTokens = 1200, OutputTokens = 300 });
        var definition = TestLaunches.ReferenceAgent("seed-agent", 2, "--heartbeat-ms", "50", "--metrics-ms", "100");
        var launch = Launch(definition, "preset-a", "http://a.example", services);
        var adapter = new JsonRpcAgentAdapter(new JsonRpcAgentOptions { StartTimeout = Patience, StatusTimeout = Patience });

        // agent.initialize, then event.subscribe ("*") and env.switch (its preset) from the coordinator.
        await using var agent = await adapter.StartAgentAsync(launch, CancellationToken.None);
        var heartbeat = Signal<HeartbeatParams>(h => agent.HeartbeatReceived += h);
        var report = Signal<AgentMetrics>(r => agent.MetricsReported += r);
        var tokens = new TaskCompletionSource<(string TaskId, TokenUsage Usage)>(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.TokensReported += (taskId, usage) => tokens.TrySetResult((taskId, usage));
        var published = new ConcurrentQueue<(PublishEventParams Event, int LocksHeld)>();
        agent.EventPublished += e => published.Enqueue((e, agent.HeldLocks.Count));
        Assert.Equal("1.0.0", agent.ProtocolVersion);
        Assert.Contains(ProtocolFeatures.Restart, agent.Features);
        Assert.StartsWith("aiswitch-reference-agent", agent.AgentInfo, StringComparison.Ordinal);
        coordinatorCalled.UnionWith([ProtocolMethods.AgentInitialize, ProtocolMethods.EventSubscribe, ProtocolMethods.EnvSwitch]);

        // The agent's periodic calls: coordination.heartbeat and metrics.report (stored, marked as the agent's).
        Assert.Equal(("seed-agent", AgentStatus.Idle), ((await heartbeat).AgentId, (await heartbeat).Status));
        var reported = await report;
        Assert.Contains(_session.Metrics.Query(new MetricsQuery { Agent = ["seed-agent"] }),
            s => s.Source == MetricsSources.Agent && s.Timestamp == reported.Timestamp && s.Pid == agent.Pid);
        agentCalled.UnionWith([ProtocolMethods.CoordinationHeartbeat, ProtocolMethods.MetricsReport]);

        // task.assign; inside it the agent takes a lock, publishes an event, reports tokens, then unlocks.
        var assigned = await RunAsync(agent, Work("t-assign", ("reply", "assigned"), ("input_tokens", "100"), ("output_tokens", "20"),
            ("lock", "seed-lock"), ("publish_event", "seed.locked")));
        Assert.True(assigned.Success, assigned.Error);
        Assert.Equal(("assigned", 100L, 20L), (assigned.Text, assigned.InputTokens, assigned.OutputTokens));
        var (usageTask, usage) = await tokens.Task.WaitAsync(Patience);
        Assert.Equal(("t-assign", 120L, "reference"), (usageTask, usage.TotalTokens, usage.Model));
        var (lockedEvent, locksHeld) = Assert.Single(published, p => p.Event.EventType == "seed.locked");
        Assert.Equal(("t-assign", 1), (lockedEvent.Data.GetProperty("task_id").GetString(), locksHeld));
        Assert.Empty(agent.HeldLocks);
        Assert.Equal(["task.started", "seed.locked", "task.completed"], published.Where(p => TaskOf(p.Event) == "t-assign").Select(p => p.Event.EventType));
        coordinatorCalled.Add(ProtocolMethods.TaskAssign);
        agentCalled.UnionWith([ProtocolMethods.CoordinationLock, ProtocolMethods.EventPublish, ProtocolMethods.TokensUsage, ProtocolMethods.CoordinationUnlock]);

        // task.result and task.status of the finished task.
        var result = await agent.CallAsync(AgentProtocol.TaskResult, new TaskResultParams { TaskId = "t-assign", IncludeMetadata = true }, Patience, CancellationToken.None);
        Assert.Equal(("t-assign", true, "assigned", 120L), (result.TaskId, result.Success, result.Result, result.TokensUsed!.TotalTokens));
        var status = await agent.CallAsync(AgentProtocol.TaskStatus, new TaskStatusParams { TaskId = "t-assign" }, Patience, CancellationToken.None);
        Assert.Equal(("t-assign", AgentTaskStatus.Completed, 100.0), (status.Task.Id, status.Status, status.Progress));
        coordinatorCalled.UnionWith([ProtocolMethods.TaskResult, ProtocolMethods.TaskStatus]);

        // The agent asks the coordinator: metrics.query and tokens.summary, answered from the session's store and ledger.
        var metrics = JsonSerializer.Deserialize((await RunAsync(agent, Work("t-metrics", ("query", "metrics")))).Text, ProtocolJsonContext.Default.QueryMetricsResult)!;
        Assert.Equal(33.0, Assert.Single(metrics.Metrics, m => m.AgentId == "elsewhere").CpuPercent);
        var summary = JsonSerializer.Deserialize((await RunAsync(agent, Work("t-tokens", ("query", "tokens")))).Text, ProtocolJsonContext.Default.TokenSummaryResult)!;
        Assert.Equal(1500L, summary.UsageByModel["gpt-4o"].TotalTokens);
        agentCalled.UnionWith([ProtocolMethods.MetricsQuery, ProtocolMethods.TokensSummary]);

        // The agent subscribes to the coordinator's events, gets one as event.publish, and unsubscribes.
        var subscribed = Signal<EventSubscription>(s => services.Events.Subscribed += s);
        var listening = RunAsync(agent, Work("t-events", ("query", "events"), ("event_types", "seed.ping")));
        var subscription = await subscribed;
        Assert.Equal(1, services.Events.Publish("seed.ping", "coordinator", new Dictionary<string, string> { ["round"] = "1" }));
        using (var heard = JsonDocument.Parse((await listening).Text))
        {
            Assert.Equal(subscription.Id, heard.RootElement.GetProperty("subscription_id").GetString());
            Assert.Equal("seed.ping", heard.RootElement.GetProperty("event").GetProperty("event_type").GetString());
            Assert.Equal("1", heard.RootElement.GetProperty("event").GetProperty("data").GetProperty("round").GetString());
            Assert.True(heard.RootElement.GetProperty("removed").GetBoolean());
        }

        Assert.Equal(0, services.Events.Count);
        agentCalled.UnionWith([ProtocolMethods.EventSubscribe, ProtocolMethods.EventUnsubscribe]);
        coordinatorCalled.Add(ProtocolMethods.EventPublish);

        // task.cancel of a task that would never end.
        var hangStarted = Signal<PublishEventParams>(signal => agent.EventPublished += e =>
        {
            if (e.EventType == "task.started" && TaskOf(e) == "t-hang")
            {
                signal(e);
            }
        });
        var hanging = RunAsync(agent, Work("t-hang", ("hang", "true")));
        await hangStarted;
        var cancelled = await agent.CallAsync(AgentProtocol.TaskCancel, new CancelTaskParams { TaskId = "t-hang", Reason = "seed test" }, Patience, CancellationToken.None);
        Assert.Equal(("t-hang", AgentTaskStatus.Cancelled), (cancelled.TaskId, cancelled.Status));
        Assert.False((await hanging).Success);
        coordinatorCalled.Add(ProtocolMethods.TaskCancel);

        // env.snapshot, env.switch (again), env.list_snapshots, env.rollback: each seen by the next task.
        var snapshot = await agent.CallAsync(AgentProtocol.EnvSnapshot, new CreateSnapshotParams { SnapshotId = "before-switch", Description = "before the switch" }, Patience, CancellationToken.None);
        Assert.Equal(("before-switch", "preset-a", "http://a.example"), (snapshot.SnapshotId, snapshot.PresetName, snapshot.Variables["MODEL_URL"]));
        await agent.SwitchEnvironmentAsync(Launch(definition, "preset-b", "http://b.example", services), CancellationToken.None);
        Assert.Equal("MODEL_URL=http://b.example", (await RunAsync(agent, Work("t-env-b", ("echo_env", "MODEL_URL")))).Text);
        var snapshots = await agent.CallAsync(AgentProtocol.EnvListSnapshots, EmptyParams.Instance, Patience, CancellationToken.None);
        Assert.Contains(snapshots.Snapshots, s => s.SnapshotId == "before-switch");
        Assert.Equal(snapshots.Snapshots.Count, snapshots.TotalCount);
        var rolledBack = await agent.CallAsync(AgentProtocol.EnvRollback, new RollbackParams { SnapshotId = "before-switch" }, Patience, CancellationToken.None);
        Assert.Equal("before-switch", rolledBack.Snapshot.SnapshotId);
        Assert.Equal("MODEL_URL=http://a.example", (await RunAsync(agent, Work("t-env-a", ("echo_env", "MODEL_URL")))).Text);
        coordinatorCalled.UnionWith([ProtocolMethods.EnvSnapshot, ProtocolMethods.EnvListSnapshots, ProtocolMethods.EnvRollback]);

        // The coordinator's own event.unsubscribe (of a subscription it makes for the purpose).
        var extra = await agent.CallAsync(AgentProtocol.EventSubscribe, new SubscribeParams { EventTypes = ["env.switched"] }, Patience, CancellationToken.None);
        var removed = await agent.CallAsync(AgentProtocol.EventUnsubscribe, new UnsubscribeParams { SubscriptionId = extra.SubscriptionId }, Patience, CancellationToken.None);
        Assert.Equal((extra.SubscriptionId, true), (removed.SubscriptionId, removed.Removed));
        coordinatorCalled.Add(ProtocolMethods.EventUnsubscribe);

        // agent.status, agent.restart (in place: its own counts are cleared), agent.shutdown.
        var before = await agent.StatusAsync(CancellationToken.None);
        Assert.Equal(("seed-agent", AgentStatus.Idle), (before.AgentId, before.Status));
        Assert.True(before.Metrics.TaskCount >= 6, $"task_count {before.Metrics.TaskCount}");
        Assert.True(await agent.RestartInPlaceAsync(agent.Launch, TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(0, (await agent.StatusAsync(CancellationToken.None)).Metrics.TaskCount);
        var bye = await agent.CallAsync(AgentProtocol.AgentShutdown, new ShutdownParams { Timeout = 5 }, Patience, CancellationToken.None);
        Assert.Equal((AgentStatus.Stopped, "seed-agent"), (bye.Status, bye.FinalMetrics.AgentId));
        Assert.Equal(0, (await agent.Exited.WaitAsync(Patience)).ExitCode);
        coordinatorCalled.UnionWith([ProtocolMethods.AgentStatus, ProtocolMethods.AgentRestart, ProtocolMethods.AgentShutdown]);

        Assert.Equal(ProtocolMethods.All.Order(StringComparer.Ordinal), coordinatorCalled.Union(agentCalled).Order(StringComparer.Ordinal));
        Assert.Equal([ProtocolMethods.EventPublish, ProtocolMethods.EventSubscribe, ProtocolMethods.EventUnsubscribe],
            coordinatorCalled.Intersect(agentCalled).Order(StringComparer.Ordinal));
    }

    private AgentLaunch Launch(AgentDefinition definition, string preset, string modelUrl, CoordinatorServices services) =>
        TestLaunches.Launch(definition, _home.Home, _launcher, preset, [KeyValuePair.Create("MODEL_URL", modelUrl)], services);

    private static Task<AgentRunResult> RunAsync(JsonRpcAgent agent, AgentTask task) =>
        agent.RunAsync(AgentInvocation.Create(agent.Launch, task), NullAgentRunObserver.Instance, CancellationToken.None).WaitAsync(Patience);

    private static AgentTask Work(string id, params (string Key, string Value)[] metadata) => new()
    {
        Id = id,
        Prompt = "do it",
        Metadata = metadata.ToDictionary(m => m.Key, m => JsonSerializer.SerializeToElement(m.Value)),
    };

    private static string? TaskOf(PublishEventParams published) =>
        published.Data.ValueKind == JsonValueKind.Object && published.Data.TryGetProperty("task_id", out var id) ? id.GetString() : null;

    private static Task<T> Signal<T>(Action<Action<T>> subscribe)
    {
        var signal = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe(value => signal.TrySetResult(value));
        return signal.Task.WaitAsync(Patience);
    }
}
