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
/// What the coordinator serves a JSON-RPC agent beyond tasks (seed 003's agent → coordinator methods), through a session's
/// registry and the real reference agent: metrics.query, tokens.summary, event.subscribe / event.unsubscribe, metrics.report.
/// </summary>
public sealed class CoordinatorSideTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempHome _home = new();
    private readonly AiSession _session;

    public CoordinatorSideTests()
    {
        var parent = new InMemoryEnvironment(new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR" }
            .Where(name => Environment.GetEnvironmentVariable(name) is not null)
            .Select(name => KeyValuePair.Create(name, Environment.GetEnvironmentVariable(name)!)));
        _home.Home.EnsureCreated();
        _session = new AiSession(_home.Home, parent);
        // Only the samples a test makes: the session's own sampler is off.
        Registry = _session.GetService(s => new AgentRegistry(s, new AgentRegistryOptions { MetricsInterval = TimeSpan.Zero }));
    }

    private AgentRegistry Registry { get; }

    private CoordinatorEvents Events => CoordinatorEvents.For(_session);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _session.Dispose();
        _home.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AnAgentAsksTheCoordinatorForStoredMetricsAndGetsThemInTheSeedsShape()
    {
        var now = DateTimeOffset.UtcNow;
        MetricsStore.For(_session).Append([
            new AgentMetricsSample { Agent = "elsewhere", Timestamp = now.AddMinutes(-2), CpuPercent = 40, MemoryMb = 100, TaskCount = 3 },
            new AgentMetricsSample { Agent = "elsewhere", Timestamp = now.AddMinutes(-1), CpuPercent = 60, MemoryMb = 300, TaskCount = 5 },
        ]);
        Register("asker");

        var result = await RunAsync("asker", "t-metrics", ("query", "metrics"));

        Assert.True(result.Success, result.Error);
        var answer = JsonSerializer.Deserialize(result.Text, ProtocolJsonContext.Default.QueryMetricsResult)!;
        var row = Assert.Single(answer.Metrics, m => m.AgentId == "elsewhere");
        Assert.Equal((50.0, 200.0, 4L), (row.CpuPercent, row.MemoryMb, row.TaskCount));
        Assert.Equal(50.0, answer.Aggregated!["cpu_percent"]);
        Assert.Equal(answer.Metrics.Count, answer.TotalCount);
    }

    [Fact]
    public async Task AnAgentAsksTheCoordinatorForTodaysTokenSummary()
    {
        TokenLedger.For(_session).Append(new LedgerRecord
        {
            Time = DateTimeOffset.UtcNow, Agent = "elsewhere", TaskId = "t0", Model = "gpt-4o", InputTokens = 1200, OutputTokens = 300,
        });
        Register("budgeter");

        var result = await RunAsync("budgeter", "t-tokens", ("query", "tokens"));

        Assert.True(result.Success, result.Error);
        var answer = JsonSerializer.Deserialize(result.Text, ProtocolJsonContext.Default.TokenSummaryResult)!;
        Assert.Equal((1200L, 300L, 1500L), (answer.TotalUsage.InputTokens, answer.TotalUsage.OutputTokens, answer.TotalUsage.TotalTokens));
        Assert.Equal(1500L, answer.UsageByModel["gpt-4o"].TotalTokens);
    }

    [Fact]
    public async Task AnAgentSubscribedToTheCoordinatorsEventsHearsAnotherAgentStartAndThenUnsubscribes()
    {
        Register("listener");
        Register("newcomer");
        await Registry.StartAsync(new StartAgentRequest { Name = "listener", WorkingDirectory = _home.Root });
        var subscribed = new TaskCompletionSource<EventSubscription>(TaskCreationOptions.RunContinuationsAsynchronously);
        Events.Subscribed += subscribed.SetResult;

        var listening = RunAsync("listener", "t-listen", ("query", "events"), ("event_types", "agent.started"));
        var subscription = await subscribed.Task.WaitAsync(Patience);
        await Registry.StartAsync(new StartAgentRequest { Name = "newcomer", WorkingDirectory = _home.Root });
        var result = await listening;

        Assert.True(result.Success, result.Error);
        using var answer = JsonDocument.Parse(result.Text);
        Assert.Equal(subscription.Id, answer.RootElement.GetProperty("subscription_id").GetString());
        Assert.Equal("listener", subscription.Owner);
        var heard = JsonSerializer.Deserialize(answer.RootElement.GetProperty("event"), ProtocolJsonContext.Default.PublishEventParams)!;
        Assert.Equal(("agent.started", "newcomer"), (heard.EventType, heard.AgentId));
        Assert.Equal("newcomer", heard.Data.GetProperty("agent_id").GetString());
        Assert.True(answer.RootElement.GetProperty("removed").GetBoolean());
        Assert.Equal(0, Events.Count);
    }

    [Fact]
    public async Task TheCoordinatorPublishesEachTasksStartAndEndInOrder()
    {
        Register("worker");
        var heard = new List<PublishEventParams>();
        var subscription = Events.Subscribe("observer", ["task.started", "task.completed", "task.failed"], null);

        await RunAsync("worker", "t-good", ("reply", "fine"));
        await RunAsync("worker", "t-bad", ("fail", "no disk"));
        Events.Unsubscribe("observer", subscription.Id);
        await foreach (var published in subscription.Events.ReadAllAsync().WithCancellation(new CancellationTokenSource(Patience).Token))
        {
            heard.Add(published);
        }

        Assert.Equal(
            [("task.started", "t-good"), ("task.completed", "t-good"), ("task.started", "t-bad"), ("task.failed", "t-bad")],
            heard.Select(e => (e.EventType, e.Data.GetProperty("task_id").GetString())));
        Assert.All(heard, e => Assert.Equal("worker", e.AgentId));
        Assert.Equal("no disk", heard[^1].Data.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnAgentsMetricsReportIsStoredBesideTheCoordinatorsSamplesMarkedAsTheAgents()
    {
        Register("reporter", "--metrics-ms", "100");
        await Registry.StartAsync(new StartAgentRequest { Name = "reporter", WorkingDirectory = _home.Root });
        var live = Assert.IsType<JsonRpcAgent>(((ILiveAgentDirectory)Registry).FindLive("reporter"));
        var reported = new TaskCompletionSource<AgentMetrics>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The agent reports every 100 ms, during the task too: wait for a report made after it (one task counted).
        live.MetricsReported += metrics =>
        {
            if (metrics.TaskCount >= 1)
            {
                reported.TrySetResult(metrics);
            }
        };
        await RunAsync("reporter", "t-counted", ("reply", "done"));
        var report = await reported.Task.WaitAsync(Patience);
        MetricsStore.For(_session).Append([new AgentMetricsSample { Agent = "reporter", Timestamp = DateTimeOffset.UtcNow, CpuPercent = 99 }]);

        var stored = _session.Metrics.Query(new MetricsQuery { Agent = ["reporter"] });
        var byAgent = _session.Metrics.Query(new MetricsQuery { Agent = ["reporter"], Aggregation = MetricAggregation.Max });

        Assert.Contains(stored, s => s.Source == MetricsSources.Agent && s.Timestamp == report.Timestamp && s.Pid == live.Pid);
        Assert.Contains(stored, s => s.Source == MetricsSources.Agent && s.TaskCount == 1);
        Assert.Contains(stored, s => s.Source == MetricsSources.Coordinator && s.CpuPercent == 99);
        // The agent's own figures and the sampler's are different measurements: aggregates keep them apart.
        Assert.Equal([MetricsSources.Agent, MetricsSources.Coordinator], byAgent.Select(r => r.Source).Order(StringComparer.Ordinal));
        Assert.True(byAgent.Single(r => r.Source == MetricsSources.Agent).CpuPercent < 99);
    }

    [Fact]
    public async Task RestartingAnAgentWithTheRestartFeatureUsesAgentRestartInItsOwnProcess()
    {
        Register("restartable");
        await RunAsync("restartable", "t-before", ("reply", "one"));
        var live = Assert.IsType<JsonRpcAgent>(((ILiveAgentDirectory)Registry).FindLive("restartable"));
        var before = await live.StatusAsync(CancellationToken.None);

        var restarted = await Registry.RestartAsync("restartable");
        var after = await live.StatusAsync(CancellationToken.None);

        Assert.Contains(ProtocolFeatures.Restart, live.Features);
        Assert.Equal((live.Pid, AgentStatus.Idle), (restarted.Pid, restarted.Status));
        Assert.Same(live, ((ILiveAgentDirectory)Registry).FindLive("restartable"));
        // agent.restart (preserve_state false) took the agent back to how it started: its own task count is cleared.
        Assert.Equal((1L, 0L), (before.Metrics.TaskCount, after.Metrics.TaskCount));
        Assert.Equal("after", (await RunAsync("restartable", "t-after", ("reply", "after"))).Text);
    }

    [Fact]
    public async Task RestartingAnAgentWhoseProgramChangedStartsANewProcess()
    {
        Register("changed");
        await Registry.StartAsync(new StartAgentRequest { Name = "changed", WorkingDirectory = _home.Root });
        var live = ((ILiveAgentDirectory)Registry).FindLive("changed")!;
        Register("changed", "--reply", "new program");

        var restarted = await Registry.RestartAsync("changed");

        Assert.NotEqual(live.Pid, restarted.Pid);
        Assert.Equal("new program", (await RunAsync("changed", "t-new")).Text);
    }

    private void Register(string name, params string[] extraArguments)
    {
        var reference = TestLaunches.ReferenceAgent(name, extraArguments: extraArguments);
        Registry.DefinitionStore.Register(new RegisterAgentRequest
        {
            Name = reference.Name,
            Adapter = reference.Adapter,
            Command = reference.Command,
            Arguments = reference.Arguments,
            Force = true,
        });
    }

    private Task<AgentRunResult> RunAsync(string agent, string taskId, params (string Key, string Value)[] metadata) =>
        Registry.RunAsync(new AgentRunRequest
        {
            Agent = agent,
            WorkingDirectory = _home.Root,
            Task = new AgentTask { Id = taskId, Prompt = "do it", Metadata = metadata.ToDictionary(m => m.Key, m => JsonSerializer.SerializeToElement(m.Value)) },
        }).WaitAsync(Patience);
}
