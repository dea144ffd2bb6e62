using AiSwitch.Core.Tasks;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Tasks;

public sealed class QuotaAdmissionTests
{
    [Fact]
    public async Task An_agent_whose_daily_quota_is_spent_gets_no_attempt_and_the_fallback_answers()
    {
        using var engine = new TaskEngineFixture();
        SpendQuota(engine, "a", limit: 100, used: 110);

        var results = await engine.RunAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a", "b"], Fallback = ["c"] });

        var a = results.Single(r => r.TaskId.EndsWith(".a", StringComparison.Ordinal));
        Assert.Equal(("c", TaskState.Completed, 2), (a.Agent, a.Status, a.Attempt));
        Assert.Equal(TaskState.Completed, results.Single(r => r.TaskId.EndsWith(".b", StringComparison.Ordinal)).Status);
        Assert.DoesNotContain(engine.Adapter.Calls, c => c.Agent.Name == "a");
    }

    [Fact]
    public async Task Without_a_fallback_the_refusal_is_the_result()
    {
        using var engine = new TaskEngineFixture();
        SpendQuota(engine, "a", limit: 10, used: 50);

        var result = Assert.Single(await engine.RunAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a"] }));

        Assert.Equal((TaskState.Failed, nameof(ErrorId.QuotaExceeded)), (result.Status, result.ErrorId));
        Assert.Contains("Set-AiTokenQuota", result.Error);
    }

    /// <summary>Gives <paramref name="agent"/> a daily token quota and records more use than it allows, then guards the engine with it.</summary>
    private static void SpendQuota(TaskEngineFixture engine, string agent, long limit, long used)
    {
        var ledger = new TokenLedger(engine.Home);
        var quotas = new QuotaGuard(engine.Home, ledger, new AlertEngine(engine.Home));
        quotas.Set(new SetQuotaRequest { Agent = agent, DailyTokens = limit });
        ledger.Append(new LedgerRecord { Time = DateTimeOffset.UtcNow, Agent = agent, InputTokens = used });
        engine.Operations.Admission = new QuotaAdmission(quotas);
    }
}
