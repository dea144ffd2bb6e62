using System.Diagnostics;
using System.Text.Json;
using AiSwitch.Agent.Tests.Support;
using AiSwitch.Protocol;
using AiSwitch.Rpc;

namespace AiSwitch.Agent.Tests;

/// <summary>task.assign, task.cancel, task.status and task.result against the reference agent in its own process.</summary>
public sealed class AgentTaskTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_task_echoes_its_prompt_and_its_result_and_status_are_kept()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();

        var assigned = await coordinator.AssignAsync("t1", "quicksort in Python").Within();
        var result = await coordinator.ResultAsync("t1");
        var status = await coordinator.Connection.InvokeAsync(AgentProtocol.TaskStatus, new TaskStatusParams { TaskId = "t1" }).Within();

        Assert.Equal("t1", assigned.TaskId);
        Assert.True(assigned.EstimatedCompletion >= assigned.AssignedAt);
        Assert.Equal(("t1", true, "quicksort in Python"), (assigned.Result?.TaskId, assigned.Result?.Success, assigned.Result?.Result));
        Assert.Empty(assigned.Result!.Metadata);
        Assert.True(result.Success);
        Assert.Equal("quicksort in Python", result.Result);
        Assert.Null(result.Error);
        Assert.Empty(result.Metadata);
        Assert.Equal(AgentTaskStatus.Completed, status.Status);
        Assert.Equal(100, status.Progress);
        Assert.Equal("quicksort in Python", status.Task.Prompt);
        Assert.Equal("quicksort in Python", status.Result?.Result);
    }

    [Fact(Timeout = 60_000)]
    public async Task Options_and_metadata_set_the_reply_the_latency_and_the_token_counts()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync("--reply", "fixed answer", "--input-tokens", "100");
        var metadata = new Dictionary<string, object>
        {
            ["latency_ms"] = 50,
            ["output_tokens"] = 42,
            ["cache_read_tokens"] = 7,
            ["reasoning_tokens"] = 3,
            ["model"] = "mock-model",
        };

        var result = await coordinator.RunAsync("t1", "ignored", metadata);
        var withMetadata = await coordinator.Connection.InvokeAsync(AgentProtocol.TaskResult, new TaskResultParams { TaskId = "t1", IncludeMetadata = true }).Within();
        var reported = await coordinator.TokenReports.NextAsync();

        Assert.Equal("fixed answer", result.Result);
        Assert.True(result.ExecutionTimeMs >= 50, $"execution_time_ms was {result.ExecutionTimeMs}");
        Assert.Equal(100, result.TokensUsed?.InputTokens);
        Assert.Equal(42, result.TokensUsed?.OutputTokens);
        Assert.Equal(142, result.TokensUsed?.TotalTokens);
        Assert.Equal(7, result.TokensUsed?.CacheReadTokens);
        Assert.Equal(3, result.TokensUsed?.ReasoningTokens);
        Assert.Equal("mock-model", result.TokensUsed?.Model);
        Assert.Equal("agent-under-test", withMetadata.Metadata["agent_id"].GetString());
        Assert.Equal("t1", reported.TaskId);
        Assert.Equal(142, reported.Usage.TotalTokens);
        Assert.Equal(7, reported.Usage.CacheReadTokens);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_failing_task_answers_task_assign_and_its_result_says_why()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();

        var result = await coordinator.RunAsync("bad", metadata: new() { ["fail"] = "the model refused" });
        var status = await coordinator.Connection.InvokeAsync(AgentProtocol.TaskStatus, new TaskStatusParams { TaskId = "bad" }).Within();
        var agent = await coordinator.Connection.InvokeAsync(AgentProtocol.AgentStatus, EmptyParams.Instance).Within();

        Assert.False(result.Success);
        Assert.Equal("the model refused", result.Error);
        Assert.Null(result.Result);
        Assert.Equal(AgentTaskStatus.Failed, status.Status);
        Assert.Equal(1, agent.Metrics.ErrorCount);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_large_output_arrives_whole()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        const int size = 4 * 1024 * 1024;

        var result = await coordinator.RunAsync("big", metadata: new() { ["output_bytes"] = size });

        Assert.Equal(size, result.Result?.Length);
        Assert.Equal("abcdefghijklmnopqrstuvwxyzab", result.Result?[..28]);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_hundred_task_assign_calls_in_flight_all_complete_with_their_own_results()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();

        var calls = Enumerable.Range(0, 100)
            .Select(i => coordinator.AssignAsync($"t{i}", $"prompt {i}", new() { ["latency_ms"] = 20 }))
            .ToList();
        var assigned = await Task.WhenAll(calls).Within();
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => coordinator.ResultAsync($"t{i}"))).Within();

        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"t{i}"), assigned.Select(a => a.TaskId));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"prompt {i}"), results.Select(r => r.Result));
        var overlap = assigned.Count(a => a.AssignedAt < assigned.Min(b => b.EstimatedCompletion));
        Assert.True(overlap > 1, "the tasks ran one after another instead of concurrently");
    }

    [Fact(Timeout = 60_000)]
    public async Task Task_cancel_stops_a_hung_task_assign_which_fails_with_40104()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        var hung = coordinator.AssignAsync("hung", metadata: new() { ["hang"] = true });
        await AgentLifecycleTests.AssertRunningAsync(coordinator, "hung");

        var cancelled = await coordinator.Connection.InvokeAsync(AgentProtocol.TaskCancel, new CancelTaskParams { TaskId = "hung", Reason = "user pressed Ctrl+C" }).Within();

        Assert.Equal(AgentTaskStatus.Cancelled, cancelled.Status);
        var error = await Assert.ThrowsAsync<AiSwitchException>(() => hung.Within());
        Assert.Equal(ErrorId.TaskCancelled, error.Id);
        Assert.Equal(-40104, error.Code);
        Assert.Contains("user pressed Ctrl+C", error.Message);
        var result = await coordinator.ResultAsync("hung");
        Assert.False(result.Success);
        Assert.Contains("user pressed Ctrl+C", result.Error);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancel_request_for_a_hung_task_assign_cancels_the_task_in_the_agent()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        using var cancellation = new CancellationTokenSource();
        var hung = coordinator.AssignAsync("hung", metadata: new() { ["hang"] = true }, cancellationToken: cancellation.Token);
        await AgentLifecycleTests.AssertRunningAsync(coordinator, "hung");

        // Cancelling our call sends $/cancelRequest for it; the agent cancels the task's token.
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hung.Within());
        var result = await coordinator.ResultAsync("hung");
        Assert.False(result.Success);
        Assert.Contains("cancelled", result.Error);
        var status = await coordinator.Connection.InvokeAsync(AgentProtocol.TaskStatus, new TaskStatusParams { TaskId = "hung" }).Within();
        Assert.Equal(AgentTaskStatus.Cancelled, status.Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_task_past_its_timeout_is_cancelled_and_task_assign_fails_with_40103()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.AssignAsync("slow", metadata: new() { ["hang"] = true }, timeoutSeconds: 0.2).Within());

        Assert.Equal(ErrorId.TaskTimeout, error.Id);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(200));
        var status = await coordinator.Connection.InvokeAsync(AgentProtocol.TaskStatus, new TaskStatusParams { TaskId = "slow" }).Within();
        Assert.Equal(AgentTaskStatus.Timeout, status.Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task Task_result_waits_for_a_running_task()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        var assigned = coordinator.AssignAsync("slow", "late", new() { ["latency_ms"] = 200 });

        var result = await coordinator.ResultAsync("slow");

        Assert.Equal("late", result.Result);
        await assigned.Within();
    }

    [Fact(Timeout = 60_000)]
    public async Task Unknown_duplicate_and_unmet_tasks_fail_with_their_codes()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        await coordinator.RunAsync("done");

        var unknown = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.ResultAsync("nope"));
        var duplicate = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.AssignAsync("done").Within());
        var unmet = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.Connection.InvokeAsync(
            AgentProtocol.TaskAssign,
            new AssignTaskParams { Task = Tasks.Make("child"), Dependencies = ["done", "missing"] }).Within());

        var malformed = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.Connection.InvokeAsync(
            ProtocolMethods.TaskAssign,
            JsonSerializer.SerializeToElement(new { task = new { prompt = "a task without an id" } }),
            ProtocolJsonContext.Default.JsonElement,
            ProtocolJsonContext.Default.JsonElement).Within());

        Assert.Equal((ErrorId.RpcInvalidParams, -32602), (malformed.Id, malformed.Code));
        Assert.Contains("task.assign", malformed.Message);
        Assert.Equal((ErrorId.TaskNotFound, -40101), (unknown.Id, unknown.Code));
        Assert.Equal((ErrorId.TaskAlreadyExists, -40102), (duplicate.Id, duplicate.Code));
        Assert.Equal((ErrorId.TaskDependenciesNotMet, -40105), (unmet.Id, unmet.Code));
        Assert.Contains("'missing'", unmet.Message);
        Assert.DoesNotContain("'done'", unmet.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_task_waits_for_a_running_dependency_and_fails_when_it_fails()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();
        var first = coordinator.AssignAsync("first", metadata: new() { ["latency_ms"] = 100 });
        var doomed = coordinator.AssignAsync("doomed", metadata: new() { ["latency_ms"] = 100, ["fail"] = true });

        var second = await coordinator.Connection.InvokeAsync(
            AgentProtocol.TaskAssign,
            new AssignTaskParams { Task = Tasks.Make("second"), Dependencies = ["first"] }).Within();
        var orphan = await Assert.ThrowsAsync<AiSwitchException>(() => coordinator.Connection.InvokeAsync(
            AgentProtocol.TaskAssign,
            new AssignTaskParams { Task = Tasks.Make("orphan"), Dependencies = ["doomed"] }).Within());

        var firstDone = await first.Within();
        Assert.True(second.AssignedAt < firstDone.EstimatedCompletion);
        Assert.True(second.EstimatedCompletion >= firstDone.EstimatedCompletion);
        Assert.Equal(ErrorId.TaskDependenciesNotMet, orphan.Id);
        await doomed.Within();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_metadata_value_that_does_not_parse_fails_only_that_task_and_says_which()
    {
        await using var coordinator = await CoordinatorSide.StartInitializedAsync();

        var bad = await coordinator.RunAsync("bad", metadata: new() { ["latency_ms"] = "soon" });
        var good = await coordinator.RunAsync("good");

        Assert.False(bad.Success);
        Assert.Contains("'latency_ms' must be a whole number", bad.Error);
        Assert.Contains("'soon'", bad.Error);
        Assert.True(good.Success);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_bad_command_line_option_exits_2_with_the_usage()
    {
        using var agent = ReferenceAgentProcess.Start("--latency-ms", "soon");

        Assert.Equal(2, await agent.Exited.Within());
        agent.Process.WaitForExit();
        Assert.Contains("'--latency-ms' must be a whole number", agent.Log);
        Assert.Contains("usage: aiswitch-reference-agent", agent.Log);
    }
}
