using System.Diagnostics;
using AiSwitch.Core.Errors;
using AiSwitch.Core.Tasks;

namespace AiSwitch.Core.Tests.Tasks;

public sealed class TaskJobsTests
{
    [Fact]
    public async Task Start_returns_at_once_and_wait_and_receive_give_the_results_once()
    {
        using var engine = new TaskEngineFixture();
        var release = new TaskCompletionSource();
        engine.Adapter.On("a", async (_, ct) => { await release.Task.WaitAsync(ct); return new Core.Agents.AgentRunResult { Success = true, Text = "done" }; });
        using var jobs = new TaskJobs(engine.Operations);

        var batch = jobs.Start(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a", "b"] });

        var running = Assert.Single(jobs.Get(batch.TaskId));
        Assert.Equal(TaskState.Running, running.Status);
        Assert.Empty(await jobs.WaitAsync([batch.TaskId], TimeSpan.FromMilliseconds(50), CancellationToken.None));
        release.SetResult();
        var finished = Assert.Single(await jobs.WaitAsync([batch.TaskId], null, CancellationToken.None));
        Assert.Equal((TaskState.Completed, 100, 2), (finished.Status, finished.Progress, finished.Succeeded));
        Assert.Equal(2, jobs.Receive(batch.TaskId, keep: false).Count);
        Assert.Empty(jobs.Receive(batch.TaskId, keep: false));
        Assert.Equal(2, jobs.Receive(batch.TaskId, keep: true).Count);
    }

    [Fact]
    public async Task Stop_cancels_the_running_agents_within_a_second()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Hang());
        using var jobs = new TaskJobs(engine.Operations);
        var batch = jobs.Start(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a"], BatchId = "t-stop" });
        while (engine.Adapter.Calls.IsEmpty)
        {
            await Task.Yield();
        }

        var watch = Stopwatch.StartNew();
        jobs.Stop("t-stop");
        await batch.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        Assert.Equal(TaskState.Cancelled, Assert.Single(jobs.Receive("t-stop", keep: true)).Status);
        Assert.Equal(TaskState.Cancelled, jobs.Get("t-stop")[0].Status);
    }

    [Fact]
    public void Unknown_tasks_and_bad_requests_fail_at_once()
    {
        using var engine = new TaskEngineFixture();
        using var jobs = new TaskJobs(engine.Operations);

        Assert.Equal(ErrorId.TaskNotFound, Assert.Throws<AiSwitchException>(() => jobs.Stop("t-none")).Id);
        Assert.Equal(ErrorId.AgentNotFound, Assert.Throws<AiSwitchException>(() => jobs.Start(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["zz"] })).Id);
    }
}
