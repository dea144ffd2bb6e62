using AiSwitch.Agent.Tests.Support;
using AiSwitch.Protocol;

namespace AiSwitch.Agent.Tests;

/// <summary>agent.initialize, agent.status, agent.restart, agent.shutdown, and the reports the agent sends on its own.</summary>
public sealed class AgentLifecycleTests
{
    [Fact(Timeout = 60_000)]
    public async Task Initialize_negotiates_the_highest_shared_version_and_announces_features()
    {
        await using var coordinator = CoordinatorSide.Start();

        var result = await coordinator.InitializeAsync("1.4.2", ["1.4.2", "1.0.0"]);

        Assert.Equal("1.0.0", result.ProtocolVersion);
        Assert.Equal("agent-under-test", result.AgentId);
        Assert.Equal(AgentStatus.Idle, result.Status);
        Assert.Contains(ProtocolFeatures.EnvSwitching, result.SupportedFeatures);
        Assert.Contains(ProtocolFeatures.Cancellation, result.SupportedFeatures);
        Assert.StartsWith("aiswitch-reference-agent ", result.AgentInfo);
    }

    [Fact(Timeout = 60_000)]
    public async Task Initialize_with_an_incompatible_major_version_fails_with_40003_and_the_agent_stays_usable()
    {
        await using var coordinator = CoordinatorSide.Start();

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.InitializeAsync("2.0.0"));

        Assert.Equal(ErrorId.ProtocolVersionMismatch, error.Id);
        Assert.Equal(-41505, error.Code);
        Assert.Contains("2.0.0", error.Message);
        Assert.Contains("1.0.0", error.Message);
        Assert.Equal("1.0.0", (await coordinator.InitializeAsync()).ProtocolVersion);
    }

    [Fact(Timeout = 60_000)]
    public async Task Status_reports_the_agent_its_current_task_and_metrics()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        await coordinator.RunAsync("done-1");
        var hung = coordinator.AssignAsync("hung-1", metadata: new() { ["hang"] = true });

        // Messages on the pipe are read in order, so the agent has taken hung-1 before it reads agent.status.
        var status = await coordinator.Connection.InvokeAsync(AgentProtocol.AgentStatus, EmptyParams.Instance).Within();

        Assert.Equal("agent-under-test", status.AgentId);
        Assert.Equal(AgentStatus.Busy, status.Status);
        Assert.Equal("hung-1", status.CurrentTask);
        Assert.Equal("agent-under-test", status.Metrics.AgentId);
        Assert.True(status.Metrics.MemoryMb > 1, $"memory_mb was {status.Metrics.MemoryMb}");
        Assert.True(status.Metrics.UptimeSeconds > 0);
        Assert.Equal(1, status.Metrics.TaskCount);
        await coordinator.Connection.InvokeAsync(AgentProtocol.TaskCancel, new CancelTaskParams { TaskId = "hung-1" }).Within();
        await Assert.ThrowsAsync<AiSwitchException>(() => hung.Within());
    }

    [Fact(Timeout = 60_000)]
    public async Task Heartbeats_and_metrics_reports_arrive_on_their_intervals()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync("--heartbeat-ms", "50", "--metrics-ms", "50");

        var beat = await coordinator.Heartbeats.NextAsync();
        var report = await coordinator.MetricsReports.NextAsync();

        Assert.Equal("agent-under-test", beat.AgentId);
        Assert.Equal(AgentStatus.Idle, beat.Status);
        Assert.Equal("agent-under-test", report.Metrics.AgentId);
        Assert.True(report.Metrics.MemoryMb > 1);
        await coordinator.Heartbeats.NextAsync();
        await coordinator.MetricsReports.NextAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task Restart_cancels_running_tasks_and_forgets_state_unless_asked_to_keep_it()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        await coordinator.RunAsync("kept");
        await coordinator.Connection.InvokeAsync(AgentProtocol.EnvSwitch, new SwitchEnvParams { Preset = "p1", Variables = new() { ["A"] = "1" } }).Within();

        var preserved = await coordinator.Connection.InvokeAsync(AgentProtocol.AgentRestart, new RestartParams { PreserveState = true }).Within();
        Assert.Equal(AgentStatus.Idle, preserved.Status);
        Assert.True((await coordinator.ResultAsync("kept")).Success);

        var hung = coordinator.AssignAsync("hung", metadata: new() { ["hang"] = true });
        await AssertRunningAsync(coordinator, "hung");
        await coordinator.Connection.InvokeAsync(AgentProtocol.AgentRestart, new RestartParams { PreserveState = false }).Within();

        Assert.Equal(ErrorId.TaskCancelled, (await Assert.ThrowsAsync<AiSwitchException>(() => hung.Within())).Id);
        var forgotten = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.ResultAsync("kept"));
        Assert.Equal(ErrorId.TaskNotFound, forgotten.Id);
        var echo = await coordinator.RunAsync("after-restart", metadata: new() { ["echo_env"] = "A" });
        Assert.Equal("A=", echo.Result);
    }

    [Fact(Timeout = 60_000)]
    public async Task Shutdown_answers_with_final_metrics_and_the_process_exits_0_when_the_pipe_closes()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        await coordinator.RunAsync("t1");

        var result = await coordinator.Connection.InvokeAsync(AgentProtocol.AgentShutdown, new ShutdownParams()).Within();
        await coordinator.Connection.DisposeAsync();

        Assert.Equal(AgentStatus.Stopped, result.Status);
        Assert.Equal(1, result.FinalMetrics.TaskCount);
        Assert.Equal(0, await coordinator.Agent.Exited.Within());
    }

    [Fact(Timeout = 60_000)]
    public async Task Shutdown_exits_0_on_its_own_when_the_coordinator_keeps_the_pipe_open()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();

        await coordinator.Connection.InvokeAsync(AgentProtocol.AgentShutdown, new ShutdownParams()).Within();

        Assert.Equal(0, await coordinator.Agent.Exited.Within());
    }

    [Fact(Timeout = 60_000)]
    public async Task Shutdown_lets_running_tasks_finish_within_its_timeout_then_cancels_the_rest()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        var quick = coordinator.AssignAsync("quick", metadata: new() { ["latency_ms"] = 100 });
        var hung = coordinator.AssignAsync("hung", metadata: new() { ["hang"] = true });
        await AssertRunningAsync(coordinator, "quick");

        var result = await coordinator.Connection.InvokeAsync(AgentProtocol.AgentShutdown, new ShutdownParams { Timeout = 5 }).Within();

        Assert.Equal("quick", (await quick.Within()).TaskId);
        Assert.Equal(ErrorId.TaskCancelled, (await Assert.ThrowsAsync<AiSwitchException>(() => hung.Within())).Id);
        Assert.Equal(AgentStatus.Stopped, result.Status);
        Assert.Equal(2, result.FinalMetrics.TaskCount);
        Assert.Equal(0, await coordinator.Agent.Exited.Within());
    }

    [Fact(Timeout = 60_000)]
    public async Task Forced_shutdown_cancels_running_tasks_at_once_and_refuses_new_ones()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        var slow = coordinator.AssignAsync("slow", metadata: new() { ["latency_ms"] = 60_000 });
        await AssertRunningAsync(coordinator, "slow");

        var shutdown = coordinator.Connection.InvokeAsync(AgentProtocol.AgentShutdown, new ShutdownParams { Force = true });
        var refused = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.AssignAsync("late").Within());
        await shutdown.Within();

        // Cancelled (not completed after its 60 s latency): the forced shutdown ended it.
        Assert.Equal(ErrorId.TaskCancelled, (await Assert.ThrowsAsync<AiSwitchException>(() => slow.Within())).Id);
        Assert.Equal((ErrorId.AgentBusy, -40005), (refused.Id, refused.Code));
        Assert.Equal(0, await coordinator.Agent.Exited.Within());
    }

    [Fact(Timeout = 60_000)]
    public async Task The_agent_exits_0_when_the_coordinator_closes_stdin()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();

        await coordinator.Connection.DisposeAsync();

        Assert.Equal(0, await coordinator.Agent.Exited.Within());
    }

    /// <summary>
    /// Asserts the agent is running the task. The agent reads the pipe in order and registers a task before its first
    /// await, so a task.status sent after task.assign always finds it.
    /// </summary>
    internal static async Task AssertRunningAsync(CoordinatorSide coordinator, string taskId)
    {
        var status = await coordinator.Connection.InvokeAsync(AgentProtocol.TaskStatus, new TaskStatusParams { TaskId = taskId }).Within();
        Assert.Equal(AgentTaskStatus.Running, status.Status);
    }
}
