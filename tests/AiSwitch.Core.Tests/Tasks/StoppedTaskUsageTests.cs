using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Tasks;
using AiSwitch.Core.Usage;
using WarningContext = AiSwitch.Core.Tests.Usage.RecordingContext;

namespace AiSwitch.Core.Tests.Tasks;

/// <summary>
/// Issue 11 item 6: a task stopped by its timeout or by a cancellation records the usage its agent had reported, and
/// both are recorded the same way: one ledger record with status timeout or cancelled and the tokens seen so far.
/// </summary>
public sealed class StoppedTaskUsageTests
{
    [Fact]
    public void AClaudeTurnStoppedBeforeItsResultKeepsTheUsageOfTheCallsItMade()
    {
        var parser = new ClaudeStreamParser();
        // The first call's message comes in two content blocks (the same usage twice); the second call was under way.
        parser.Accept("""{"type":"assistant","message":{"id":"msg_1","model":"claude-opus-4-8","content":[{"type":"text","text":"a"}],"usage":{"input_tokens":10,"cache_read_input_tokens":3,"output_tokens":5}}}""");
        parser.Accept("""{"type":"assistant","message":{"id":"msg_1","model":"claude-opus-4-8","content":[{"type":"tool_use","name":"Bash"}],"usage":{"input_tokens":10,"cache_read_input_tokens":3,"output_tokens":5}}}""");
        parser.Accept("""{"type":"assistant","message":{"id":"msg_2","model":"claude-opus-4-8","content":[{"type":"text","text":"b"}],"usage":{"input_tokens":4,"cache_read_input_tokens":20,"output_tokens":1}}}""");

        var outcome = parser.Outcome();

        Assert.False(outcome.Completed);
        Assert.Equal(new TokenCounts(13 + 24, 5 + 1, 23, 0, 0), outcome.Tokens);
        Assert.Equal(["msg_1", "msg_2"], outcome.RequestIds);
    }

    [Fact]
    public async Task ATimedOutAndACancelledTaskRecordTheirUsageTheSameWay()
    {
        using var engine = new TaskEngineFixture();
        var ledger = new TokenLedger(engine.Home);
        engine.Operations.Ledger = ledger;
        // Like a CLI stopped part way: it had reported 37 input and 6 output tokens when its token fired.
        engine.Adapter.On("a", async (_, ct) =>
        {
            var partial = new AgentRunResult { Model = "claude-opus-4-8", InputTokens = 37, OutputTokens = 6, CacheReadTokens = 23, AgentSessionId = "s-1" };
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }

            throw new RunCancelledException(partial, ct);
        });

        var timedOut = await RunAsync(engine, new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a"], Timeout = TimeSpan.FromMilliseconds(100) });
        using var cancel = new CancellationTokenSource();
        var running = RunAsync(engine, new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "q" }], Agents = ["a"] }, cancel.Token);
        await engine.Adapter.FirstCall();
        await WaitForCalls(engine, 2);
        await cancel.CancelAsync();
        var cancelled = await running;

        Assert.Equal(TaskState.Timeout, Assert.Single(timedOut).Status);
        Assert.Equal(TaskState.Cancelled, Assert.Single(cancelled).Status);
        var records = new List<LedgerRecord>();
        ledger.Scan(null, null, records.Add, null, withIds: true);
        Assert.Equal(2, records.Count);
        Assert.Equal(["timeout", "cancelled"], records.OrderBy(r => r.Time).Select(r => r.Status));
        Assert.All(records, r => Assert.Equal((37L, 6L, 23L, "s-1", "claude-opus-4-8"), (r.InputTokens, r.OutputTokens, r.CacheReadTokens, r.SessionId, r.Model)));
    }

    private static async Task WaitForCalls(TaskEngineFixture engine, int count)
    {
        while (engine.Adapter.Calls.Count < count)
        {
            await Task.Yield();
        }
    }

    private static async Task<List<TaskResult>> RunAsync(TaskEngineFixture engine, InvokeTaskRequest request, CancellationToken cancellationToken = default)
    {
        var results = new List<TaskResult>();
        try
        {
            await foreach (var result in engine.Operations.InvokeAsync(request, new WarningContext(), cancellationToken))
            {
                results.Add(result);
            }
        }
        catch (OperationCanceledException)
        {
        }

        return results;
    }
}
