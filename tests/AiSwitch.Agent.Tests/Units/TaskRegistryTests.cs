using AiSwitch.Protocol;

namespace AiSwitch.Agent.Tests.Units;

public sealed class TaskRegistryTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private static TaskEntry Finished(TaskRegistry registry, string id, AgentTaskStatus status)
    {
        var (entry, _) = registry.Add(new AgentTask { Id = id, Prompt = "p" }, null, Now);
        entry.Finish(status, new AgentTaskResult { TaskId = id, Success = status == AgentTaskStatus.Completed }, Now);
        registry.Retire(entry);
        return entry;
    }

    [Fact]
    public void Keeps_the_newest_finished_tasks_and_forgets_the_oldest_beyond_the_limit()
    {
        var registry = new TaskRegistry();
        for (var i = 0; i <= TaskRegistry.RetainedFinished; i++)
        {
            Finished(registry, $"t{i}", AgentTaskStatus.Completed);
        }

        Assert.Equal(ErrorId.TaskNotFound, Assert.Throws<AiSwitchException>(() => registry.Get("t0")).Id);
        Assert.Equal("t1", registry.Get("t1").Task.Id);
        Assert.Equal($"t{TaskRegistry.RetainedFinished}", registry.Get($"t{TaskRegistry.RetainedFinished}").Task.Id);
        Assert.Equal(0, registry.RunningCount);
    }

    [Fact]
    public void Dependencies_completed_are_met_running_ones_are_returned_and_failed_or_unknown_ones_refuse_the_task()
    {
        var registry = new TaskRegistry();
        Finished(registry, "done", AgentTaskStatus.Completed);
        Finished(registry, "broken", AgentTaskStatus.Failed);
        var (running, _) = registry.Add(new AgentTask { Id = "running", Prompt = "p" }, null, Now);

        var (_, waitFor) = registry.Add(new AgentTask { Id = "child", Prompt = "p" }, ["done", "running"], Now);
        var refused = Assert.Throws<AiSwitchException>(() => registry.Add(new AgentTask { Id = "orphan", Prompt = "p" }, ["broken", "ghost", "done"], Now));

        Assert.Equal([running], waitFor);
        Assert.Equal(ErrorId.TaskDependenciesNotMet, refused.Id);
        Assert.Contains("'broken', 'ghost'", refused.Message);
        Assert.Equal(ErrorId.TaskNotFound, Assert.Throws<AiSwitchException>(() => registry.Get("orphan")).Id);
    }

    [Fact]
    public void Cancel_keeps_the_first_reason_and_does_nothing_once_finished()
    {
        var registry = new TaskRegistry();
        var (entry, _) = registry.Add(new AgentTask { Id = "t", Prompt = "p" }, null, Now);

        Assert.True(entry.Cancel("first"));
        Assert.True(entry.Cancel("second"));
        entry.Finish(AgentTaskStatus.Cancelled, new AgentTaskResult { TaskId = "t", Success = false }, Now);

        Assert.Equal("first", entry.CancelReason);
        Assert.True(entry.Cancellation.IsCancellationRequested);
        Assert.False(entry.Cancel("late"));
        Assert.True(entry.Finished.IsCompletedSuccessfully);
    }
}
