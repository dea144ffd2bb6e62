using AiSwitch.Core.Agents;
using AiSwitch.Core.Tasks;
using AiSwitch.Core.Usage;
using WarningContext = AiSwitch.Core.Tests.Usage.RecordingContext;

namespace AiSwitch.Core.Tests.Tasks;

public sealed class TaskLedgerTests
{
    [Fact]
    public async Task Every_attempt_that_reached_an_agent_appends_one_ledger_record_with_its_numbers()
    {
        using var engine = new TaskEngineFixture();
        var ledger = new TokenLedger(engine.Home);
        engine.Operations.Ledger = ledger;
        // a: a priced model, priced by the table. b: the agent's own cost. c: fails retryably once, then answers with an unknown model.
        engine.Adapter.On("a", (_, _) => Task.FromResult(new AgentRunResult
        {
            Success = true, Text = "ok", Model = "claude-sonnet-5", InputTokens = 1_000_000, OutputTokens = 0,
            CacheReadTokens = 200, CacheWriteTokens = 100, ReasoningTokens = 0, AgentSessionId = "sess-a",
        }));
        engine.Adapter.On("b", (_, _) => Task.FromResult(new AgentRunResult
        {
            Success = true, Text = "ok", Model = "claude-sonnet-5", InputTokens = 40, OutputTokens = 60, ReasoningTokens = 7,
            CostUsd = 0.42m, CostSource = CostSource.Agent, AgentSessionId = "sess-b",
        }));
        engine.Adapter.On("c", FakeBehaviours.FlakyThenAnswer(1, "late"));
        var context = new WarningContext();

        var results = new List<TaskResult>();
        await foreach (var result in engine.Operations.InvokeAsync(
            new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a", "b", "c"], Retry = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1) }, context))
        {
            results.Add(result);
        }

        var records = new List<LedgerRecord>();
        ledger.Scan(null, null, records.Add, null, withIds: true);
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.Equal(TaskState.Completed, r.Status));
        Assert.Equal(4, records.Count);   // a, b, and both attempts of c
        var a = Assert.Single(records, r => r.Agent == "a");
        Assert.Equal((results.Single(r => r.Agent == "a").TaskId, FakeAdapter.AdapterName, "claude-sonnet-5", "parallel", "sess-a"), (a.TaskId, a.Adapter, a.Model, a.TaskType, a.SessionId));
        Assert.Equal((1_000_000L, 0L, 200L, 100L), (a.InputTokens, a.OutputTokens, a.CacheReadTokens, a.CacheWriteTokens));
        Assert.Equal(CostSource.Pricing, a.CostSource);
        Assert.NotNull(a.CostUsd);
        Assert.True(a.CostUsd > 0);
        var b = Assert.Single(records, r => r.Agent == "b");
        Assert.Equal((40L, 60L, 7L, 0.42m, CostSource.Agent, "sess-b"), (b.InputTokens, b.OutputTokens, b.ReasoningTokens, b.CostUsd, b.CostSource, b.SessionId));
        var c = records.Where(r => r.Agent == "c").ToList();
        Assert.Equal(2, c.Count);
        Assert.All(c, r => Assert.Equal((null, CostSource.None), (r.CostUsd, r.CostSource)));
        Assert.DoesNotContain(context.Warnings, w => w.Contains("fake-model", StringComparison.Ordinal));   // not per task: reports list it (with the failed attempt that named no model)
        Assert.Equal(["(none)", "fake-model"], new UsageOperations(ledger).Summary(new TokenUsageQuery { TimeZone = TimeZoneInfo.Utc }).UnpricedModels);

        // Get-AiTokenUsage's Core query sees them.
        var rows = new UsageOperations(ledger).Query(new TokenUsageQuery { GroupBy = UsageGroupBy.Agent, TimeZone = TimeZoneInfo.Utc });
        Assert.Equal(["a", "b", "c"], rows.Select(r => r.Group));
        Assert.Equal((1_000_000L, 1L, a.CostUsd), (rows[0].InputTokens, rows[0].Requests, rows[0].CostUsd));
        Assert.Equal((100L, 0.42m), (rows[1].TotalTokens, rows[1].CostUsd));
        Assert.Equal((2L, 2L), (rows[2].Requests, rows[2].UnpricedRequests));
    }

    [Fact]
    public async Task An_attempt_refused_before_it_reached_an_agent_records_nothing()
    {
        using var engine = new TaskEngineFixture();
        var ledger = new TokenLedger(engine.Home);
        engine.Operations.Ledger = ledger;
        engine.Operations.Admission = new RefuseAll();

        var result = Assert.Single(await engine.RunAsync(TaskEngineFixture.Request(TaskMode.Parallel, "p", "a")));

        Assert.Equal(TaskState.Failed, result.Status);
        Assert.Empty(ledger.Files());
    }

    [Fact]
    public async Task An_agent_reporting_Int64_MaxValue_tokens_is_refused_with_a_warning_naming_it_and_nothing_wraps()
    {
        using var engine = new TaskEngineFixture();
        var ledger = new TokenLedger(engine.Home);
        engine.Operations.Ledger = ledger;
        var quotas = new QuotaGuard(engine.Home, ledger, new AlertEngine(engine.Home));
        quotas.Set(new SetQuotaRequest { Agent = "a", DailyTokens = 1000 });
        ledger.Append(new LedgerRecord { Time = DateTimeOffset.UtcNow, Agent = "a", Model = "claude-sonnet-5", InputTokens = 1200 });
        engine.Adapter.On("a", (_, _) => Task.FromResult(new AgentRunResult
        {
            Success = true, Text = "ok", Model = "claude-sonnet-5", InputTokens = long.MaxValue, OutputTokens = long.MaxValue,
        }));
        var context = new WarningContext();

        var results = new List<TaskResult>();
        await foreach (var result in engine.Operations.InvokeAsync(TaskEngineFixture.Request(TaskMode.Parallel, "p", "a"), context))
        {
            results.Add(result);
        }

        var records = new List<LedgerRecord>();
        ledger.Scan(null, null, records.Add, null);
        Assert.Equal(TaskState.Completed, Assert.Single(results).Status);
        Assert.Equal([1200L], records.Select(r => r.InputTokens));
        Assert.Single(context.Warnings, w => w.Contains("refused", StringComparison.Ordinal) && w.Contains("agent 'a'", StringComparison.Ordinal)
            && w.Contains(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var summary = new UsageOperations(ledger).Summary(new TokenUsageQuery { TimeZone = TimeZoneInfo.Utc });
        Assert.Equal((1200L, 1200L), (summary.TotalTokens, summary.InputTokens));
        Assert.Equal(QuotaState.Exceeded, Assert.Single(quotas.Get()).State);
    }

    [Fact]
    public async Task A_broken_pricing_file_still_records_every_attempt_for_reports_and_quotas_and_says_which_line_is_wrong()
    {
        using var engine = new TaskEngineFixture();
        var ledger = new TokenLedger(engine.Home);
        engine.Operations.Ledger = ledger;
        var quotas = new QuotaGuard(engine.Home, ledger, new AlertEngine(engine.Home));
        quotas.Set(new SetQuotaRequest { Agent = "a", DailyTokens = 1500 });
        Directory.CreateDirectory(engine.Home.ConfigDir);
        var pricing = Path.Combine(engine.Home.ConfigDir, "pricing.yaml");
        File.WriteAllText(pricing, "models:\n  claude-sonnet-5:\n    input: three dollars\n    output: 15\n");
        engine.Adapter.On("a", (_, _) => Task.FromResult(new AgentRunResult
        {
            Success = true, Text = "ok", Model = "claude-sonnet-5", InputTokens = 1000, OutputTokens = 10,
        }));
        var context = new WarningContext();

        var results = new List<TaskResult>();
        for (var i = 0; i < 2; i++)
        {
            await foreach (var result in engine.Operations.InvokeAsync(TaskEngineFixture.Request(TaskMode.Parallel, "p", "a"), context))
            {
                results.Add(result);
            }
        }

        var records = new List<LedgerRecord>();
        ledger.Scan(null, null, records.Add, null);
        Assert.All(results, r => Assert.Equal(TaskState.Completed, r.Status));
        Assert.Equal([(1000L, 10L, (decimal?)null, CostSource.None), (1000L, 10L, null, CostSource.None)],
            records.Select(r => (r.InputTokens, r.OutputTokens, r.CostUsd, r.CostSource)));
        var quota = Assert.Single(quotas.Get());
        Assert.Equal((QuotaState.Exceeded, 2020L), (quota.State, quota.UsedTokens));
        var warning = Assert.Single(context.Warnings);
        Assert.Contains($"'{pricing}' is invalid at line 3", warning, StringComparison.Ordinal);
        Assert.Contains("three dollars", warning, StringComparison.Ordinal);
    }

    private sealed class RefuseAll : ITaskAdmission
    {
        public ValueTask AdmitAsync(AgentDefinition agent, string taskId, CancellationToken cancellationToken) =>
            throw new AiSwitchException(ErrorId.QuotaExceeded, $"Agent '{agent.Name}' is refused by this test.", agent.Name);
    }
}
