using AiSwitch.Core.Locking;
using AiSwitch.Core.Tasks;
using static AiSwitch.Core.Tests.Tasks.TaskEngineFixture;

namespace AiSwitch.Core.Tests.Tasks;

public sealed class TaskBoardTests
{
    [Fact]
    public async Task Another_session_sees_a_running_batch_and_then_its_outcome_in_tasks_json()
    {
        using var engine = new TaskEngineFixture();
        engine.Operations.BoardInterval = TimeSpan.Zero; // record every change, so the file can be checked between results
        var release = new TaskCompletionSource();
        engine.Adapter.On("a", async (_, ct) => { await release.Task.WaitAsync(ct); return new Core.Agents.AgentRunResult { Success = true, Text = "x" }; });
        engine.Adapter.On("b", FakeBehaviours.Fail("no"));
        using var otherLocks = new LockOperations(engine.Home);
        var other = new TaskOperations(engine.Home, engine.Operations.Agents, otherLocks);
        var request = new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a", "b"], BatchId = "t-seen" };

        await using var results = engine.Operations.InvokeAsync(request, Core.Hosting.SilentOperationContext.Instance).GetAsyncEnumerator();
        Assert.True(await results.MoveNextAsync()); // b's failure: a is still running

        var running = Assert.Single(other.ListBatches());
        Assert.Equal(("t-seen", TaskState.Running, 50, Environment.ProcessId), (running.TaskId, running.Status, running.Progress, running.OwnerPid));
        Assert.Equal("a, b", running.Agents);

        release.SetResult();
        Assert.True(await results.MoveNextAsync());
        Assert.False(await results.MoveNextAsync());
        var done = Assert.Single(other.ListBatches());
        Assert.Equal((TaskState.Failed, 100, 1, 1), (done.Status, done.Progress, done.Succeeded, done.Failed));
        Assert.NotNull(done.CompletedAt);
    }

    [Fact]
    public void A_run_handed_to_another_process_is_checked_first_then_recorded_pending_under_its_new_id()
    {
        using var engine = new TaskEngineFixture();
        var started = new List<InvokeTaskRequest>();
        int Start(InvokeTaskRequest r)
        {
            started.Add(r);
            return Environment.ProcessId; // a live owner: the board marks a task whose owner is gone Failed
        }

        var bad = new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a", "zz"] };
        Assert.Equal(ErrorId.AgentNotFound, Assert.Throws<AiSwitchException>(() => engine.Operations.RecordPending(bad, Start)).Id);
        Assert.Empty(started);
        Assert.Empty(engine.Operations.ListBatches());

        var pending = engine.Operations.RecordPending(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a", "b"] }, Start);

        var handed = Assert.Single(started);
        Assert.StartsWith("t-", pending.TaskId);
        Assert.Equal(pending.TaskId, handed.BatchId);
        var recorded = Assert.Single(engine.Operations.ListBatches());
        Assert.Equal((pending.TaskId, TaskState.Pending, 2, Environment.ProcessId, "a, b"), (recorded.TaskId, recorded.Status, recorded.Total, recorded.OwnerPid, recorded.Agents));
    }
}
