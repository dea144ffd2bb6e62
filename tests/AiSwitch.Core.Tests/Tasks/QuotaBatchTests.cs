using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Locking;
using AiSwitch.Core.Tasks;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Tasks;

public sealed class QuotaBatchTests
{
    private const long TokensPerTask = 15;   // FakeBehaviours.Answer: 10 in, 5 out

    [Fact]
    public async Task A_spent_quota_stops_a_distributed_batch_here_and_a_second_session_starts_nothing()
    {
        using var engine = new TaskEngineFixture(TaskEngineFixture.Agent("a"));
        Guard(engine.Operations, engine.Home).Set(new SetQuotaRequest { Agent = TokenQuota.AllAgents, DailyTokens = 3 * TokensPerTask });
        var batch = new InvokeTaskRequest
        {
            Tasks = [.. Enumerable.Range(1, 10).Select(i => new TaskSpec { Prompt = $"task {i}" })],
            Agents = ["a"],
            Mode = TaskMode.Distribute,
        };

        var results = await engine.RunAsync(batch);

        Assert.Equal(10, results.Count);
        Assert.Equal(3, results.Count(r => r.Status == TaskState.Completed));
        var refused = results.Where(r => r.Status != TaskState.Completed).ToList();
        Assert.Equal(7, refused.Count);
        Assert.All(refused, r => Assert.Equal((TaskState.Failed, nameof(ErrorId.QuotaExceeded)), (r.Status, r.ErrorId)));
        Assert.Equal(-41601, ErrorId.QuotaExceeded.Code());
        Assert.Equal(3, engine.Adapter.Calls.Count);
        // The refusals came after the crossing: every completed task finished before the first refusal.
        Assert.True(results.Where(r => r.Success).Max(r => r.CompletedAt) <= refused.Min(r => r.CompletedAt));

        // A second session on the same home: its own engine, ledger and quota guard, nothing shared in memory.
        var adapter = new FakeAdapter();
        using var locks = new LockOperations(engine.Home, sessionId: Guid.NewGuid().ToString());
        var second = new TaskOperations(engine.Home,
            new AdapterTaskAgents(engine.Definitions, new AdapterCatalog(adapter), engine.Home, new ProcessSupervisor(engine.Home, "tests-2"), (_, _, _) => new Dictionary<string, string>()),
            locks);
        Guard(second, engine.Home);

        var again = new List<TaskResult>();
        await foreach (var result in second.InvokeAsync(batch, SilentOperationContext.Instance))
        {
            again.Add(result);
        }

        Assert.Equal(10, again.Count);
        Assert.All(again, r => Assert.Equal(nameof(ErrorId.QuotaExceeded), r.ErrorId));
        Assert.Empty(adapter.Calls);
    }

    /// <summary>Wires an engine the way a session does: its own ledger for results, its own quota guard as admission.</summary>
    private static QuotaGuard Guard(TaskOperations operations, Core.Home.AiHome home)
    {
        var ledger = new TokenLedger(home);
        var quotas = new QuotaGuard(home, ledger, new AlertEngine(home));
        operations.Ledger = ledger;
        operations.Admission = new QuotaAdmission(quotas);
        return quotas;
    }
}
