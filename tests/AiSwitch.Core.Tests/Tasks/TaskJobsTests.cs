using System.Diagnostics;
using AiSwitch.Core.Home;
using AiSwitch.Core.Locking;
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
        using var jobs = Jobs(engine);

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
    public async Task An_ended_task_leaves_its_results_for_other_sessions_in_a_private_file()
    {
        using var engine = new TaskEngineFixture();
        using var jobs = Jobs(engine);

        var batch = jobs.Start(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a", "b"], BatchId = "t-kept" });
        await batch.Completion;

        var file = new TaskFiles(engine.Home).Results("t-kept").Path;
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(PrivateDirectory.FileMode, File.GetUnixFileMode(file));
        }

        using var other = Jobs(engine);
        Assert.Equal(["t-kept.a", "t-kept.b"], other.Receive("t-kept", keep: false).Select(r => r.TaskId).Order());
        Assert.Equal(TaskState.Completed, Assert.Single(await other.WaitAsync(["t-kept"], null, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Stop_cancels_the_running_agents_and_returns_the_task_cancelled()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Hang());
        using var jobs = Jobs(engine);
        var batch = jobs.Start(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a"], BatchId = "t-stop" });
        await engine.Adapter.FirstCall();

        var stopped = await jobs.StopAsync("t-stop", CancellationToken.None);

        Assert.True(batch.Completion.IsCompleted);
        Assert.Equal(TaskState.Cancelled, stopped.Status);
        Assert.Equal(TaskState.Cancelled, Assert.Single(jobs.Receive("t-stop", keep: true)).Status);
    }

    [Fact]
    public async Task Another_session_follows_stops_and_then_receives_a_running_task()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Hang());
        using var owner = Jobs(engine);
        owner.Start(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a"], BatchId = "t-far" });
        await engine.Adapter.FirstCall();
        using var other = Jobs(engine);

        Assert.Equal(TaskState.Running, Assert.Single(other.Get("t-far")).Status);
        Assert.Equal(ErrorId.TaskStillRunning, Assert.Throws<AiSwitchException>(() => other.Receive("t-far", keep: false)).Id);
        var stopped = await other.StopAsync("t-far", CancellationToken.None);

        Assert.Equal(TaskState.Cancelled, stopped.Status);
        Assert.Equal(TaskState.Cancelled, Assert.Single(other.Receive("t-far", keep: false)).Status);
        Assert.False(new TaskFiles(engine.Home).CancelRequested("t-far"), "the owner removes the cancel request once the task has ended");
    }

    [Fact]
    public async Task A_task_handed_to_another_process_runs_there_and_its_results_come_back()
    {
        using var engine = new TaskEngineFixture();
        using var starter = Jobs(engine);

        // The owner command here exits at once; the test plays the owner process itself with RunOwnedAsync.
        var pending = starter.StartDetached(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a", "b"], BatchId = "t-away" }, ["true"]);
        Assert.Equal((TaskState.Pending, 2), (pending.Status, pending.Total));
        Assert.True(File.Exists(new TaskFiles(engine.Home).Request("t-away").Path));

        using var ownerProcess = Jobs(engine);
        var results = await ownerProcess.RunOwnedAsync("t-away", CancellationToken.None);

        Assert.Equal(["t-away.a", "t-away.b"], results.Select(r => r.TaskId).Order());
        Assert.Equal(2, starter.Receive("t-away", keep: false).Count);
        Assert.False(File.Exists(new TaskFiles(engine.Home).Request("t-away").Path), "the request is removed once the task has ended");
    }

    [Fact]
    public async Task A_task_whose_owner_process_died_reads_failed_and_is_not_waited_for()
    {
        using var engine = new TaskEngineFixture();
        using var dead = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await dead.WaitForExitAsync();
        new TaskBoard(engine.Home).Put(new AiTask { TaskId = "t-orphan", Status = TaskState.Running, Agents = "a", Total = 1, OwnerPid = dead.Id });
        using var jobs = Jobs(engine);

        var seen = Assert.Single(jobs.Get("t-orphan"));
        Assert.Equal(TaskState.Failed, seen.Status);
        Assert.Contains($"The process that ran it (pid {dead.Id}) died", seen.Reason);
        Assert.Equal(TaskState.Failed, Assert.Single(await jobs.WaitAsync(["t-orphan"], null, CancellationToken.None)).Status);
        Assert.Equal(ErrorId.TaskOwnerDied, Assert.Throws<AiSwitchException>(() => jobs.Receive("t-orphan", keep: false)).Id);
        Assert.NotNull(Assert.Single(new TaskBoard(engine.Home).Read()).CompletedAt); // marked on the board, so it can be pruned
    }

    [Fact]
    public void A_task_whose_owner_pid_now_belongs_to_another_process_reads_failed()
    {
        using var engine = new TaskEngineFixture();
        // This test process stands for the process that got the owner's pid: alive, but started at another time.
        var board = Path.Combine(engine.Home.StateDir, "tasks.json");
        new TaskBoard(engine.Home).Put(new AiTask { TaskId = "t-reused", Status = TaskState.Running, Agents = "a", Total = 1, OwnerPid = Environment.ProcessId });
        File.WriteAllText(board, File.ReadAllText(board).Replace(ProcessIdentity.CurrentStartToken, "linux:1", StringComparison.Ordinal));
        using var jobs = Jobs(engine);

        var task = Assert.Single(jobs.Get("t-reused"));

        Assert.Equal(TaskState.Failed, task.Status);
        Assert.Contains($"(pid {Environment.ProcessId}) died", task.Reason);
    }

    [Fact]
    public async Task Unknown_tasks_and_bad_requests_fail_at_once()
    {
        using var engine = new TaskEngineFixture();
        using var jobs = Jobs(engine);

        Assert.Equal(ErrorId.TaskNotFound, (await Assert.ThrowsAsync<AiSwitchException>(() => jobs.StopAsync("t-none", CancellationToken.None))).Id);
        Assert.Equal(ErrorId.TaskNotFound, Assert.Throws<AiSwitchException>(() => jobs.Receive("t-none", keep: false)).Id);
        Assert.Equal(ErrorId.AgentNotFound, Assert.Throws<AiSwitchException>(() => jobs.Start(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["zz"] })).Id);
    }

    [Fact]
    public async Task The_id_given_to_the_one_task_is_the_task_s_id_everywhere()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Hang());
        using var jobs = Jobs(engine);

        var batch = jobs.Start(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p", TaskId = "my-task" }], Agents = ["a"] });

        Assert.Equal("my-task", batch.TaskId);
        Assert.Equal("my-task", Assert.Single(jobs.Get("my-task")).TaskId);
        Assert.Equal(TaskState.Cancelled, (await jobs.StopAsync("my-task", CancellationToken.None)).Status);
        Assert.Equal("my-task", Assert.Single(await jobs.WaitAsync(["my-task"], null, CancellationToken.None)).TaskId);
        Assert.Equal("my-task", Assert.Single(jobs.Receive("my-task", keep: true)).TaskId);
        Assert.Contains(new TaskBoard(engine.Home).Read(), t => t.TaskId == "my-task");
    }

    [Fact]
    public async Task A_result_s_task_id_finds_its_task_here_and_in_another_session()
    {
        using var engine = new TaskEngineFixture();
        using var jobs = Jobs(engine);
        var batch = jobs.Start(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p", TaskId = "pair" }], Agents = ["a", "b"] });
        await batch.Completion;
        using var other = Jobs(engine);

        Assert.Equal("pair", jobs.Find("pair.a").TaskId);
        Assert.Equal("pair", other.Find("pair.b").TaskId);
        Assert.Equal("pair", Assert.Single(await jobs.WaitAsync(["pair.a", "pair.b"], null, CancellationToken.None)).TaskId);
    }

    [Fact]
    public void An_id_that_matches_nothing_is_TaskNotFound_and_a_wildcard_that_matches_nothing_is_no_task()
    {
        using var engine = new TaskEngineFixture();
        using var jobs = Jobs(engine);

        Assert.Equal(ErrorId.TaskNotFound, Assert.Throws<AiSwitchException>(() => jobs.Get("t-nosuch")).Id);
        Assert.Empty(jobs.Get("zz-*"));
    }

    [Fact]
    public async Task A_task_id_another_session_runs_is_a_coordination_conflict_and_this_sessions_own_is_already_there()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Hang());
        using var jobs = Jobs(engine);
        var batch = jobs.Start(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a"], BatchId = "t-claimed" });
        await engine.Adapter.FirstCall();
        using var otherLocks = new LockOperations(engine.Home, sessionId: "other-session");
        using var otherSession = new TaskJobs(new TaskOperations(engine.Home, engine.Operations.Agents, otherLocks, sessionId: "other-session"), new TaskFiles(engine.Home));
        var again = new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "q" }], Agents = ["a"], BatchId = "t-claimed" };

        var conflict = Assert.Throws<AiSwitchException>(() => otherSession.Start(again));
        var duplicate = Assert.Throws<AiSwitchException>(() => jobs.Start(again));

        Assert.Equal((ErrorId.CoordinationConflict, -40304), (conflict.Id, conflict.Code));
        Assert.Contains($"claimed by another session (process {Environment.ProcessId}", conflict.Message);
        Assert.Equal((ErrorId.TaskAlreadyExists, -40102), (duplicate.Id, duplicate.Code));
        await jobs.StopAsync(batch.TaskId, CancellationToken.None);
    }

    private static TaskJobs Jobs(TaskEngineFixture engine) => new(engine.Operations, new TaskFiles(engine.Home));
}
