using AiSwitch.Core.Agents;
using AiSwitch.Core.Tasks;
using static AiSwitch.Core.Tests.Tasks.TaskEngineFixture;

namespace AiSwitch.Core.Tests.Tasks;

public sealed class TaskOperationsTests
{
    [Fact]
    public async Task Parallel_runs_every_agent_at_once_and_maps_the_run_into_the_result()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Answer("from a", delayMs: 150, input: 12, output: 7, cost: 0.01m));
        engine.Adapter.On("b", FakeBehaviours.Answer("from b", delayMs: 150, input: 3, output: 4));

        var results = await engine.RunAsync(Request(TaskMode.Parallel, "hello", "a", "b"));

        Assert.Equal(2, results.Count);
        Assert.Equal(2, engine.Adapter.PeakConcurrency);
        var a = Assert.Single(results, r => r.Agent == "a");
        Assert.Equal((TaskState.Completed, true, "from a", 12L, 7L, 0.01m, "fake-model", 1), (a.Status, a.Success, a.Output, a.InputTokens, a.OutputTokens, a.CostUsd, a.Model, a.Attempt));
        Assert.EndsWith(".a", a.TaskId);
        Assert.Equal("hello", a.Prompt);
        Assert.True(a.DurationMs >= 100, $"duration {a.DurationMs} ms");
        Assert.Equal(a.BatchId, results.Single(r => r.Agent == "b").BatchId);
    }

    [Fact]
    public async Task Sequential_runs_one_agent_after_another_in_order()
    {
        using var engine = new TaskEngineFixture();
        foreach (var name in new[] { "a", "b", "c" })
        {
            engine.Adapter.On(name, FakeBehaviours.Answer(name, delayMs: 30));
        }

        var results = await engine.RunAsync(Request(TaskMode.Sequential, "p", "a", "b", "c"));

        Assert.Equal(["a", "b", "c"], results.Select(r => r.Agent));
        Assert.Equal(1, engine.Adapter.PeakConcurrency);
    }

    [Fact]
    public async Task Chain_gives_each_agent_the_previous_agents_output_as_context()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Echo());
        engine.Adapter.On("b", FakeBehaviours.Echo());

        var results = await engine.RunAsync(Request(TaskMode.Chain, "write", "a", "b"));

        Assert.Equal("b<a<|write>|write>", results.Single(r => r.Agent == "b").Output);
        var second = engine.Adapter.Calls.Single(c => c.Agent.Name == "b");
        Assert.True(second.Task.ChainMode);
        Assert.Equal("a<|write>", second.Task.Context);
        Assert.Null(engine.Adapter.Calls.Single(c => c.Agent.Name == "a").Task.Context);
    }

    [Fact]
    public async Task A_broken_link_fails_the_rest_of_the_chain_with_dependencies_not_met()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Fail("boom"));

        var results = await engine.RunAsync(Request(TaskMode.Chain, "write", "a", "b"));

        var b = results.Single(r => r.Agent == "b");
        Assert.Equal((TaskState.Failed, nameof(ErrorId.TaskDependenciesNotMet)), (b.Status, b.ErrorId));
        Assert.Equal(-40105, ErrorCatalog.Code(ErrorId.TaskDependenciesNotMet));
        Assert.DoesNotContain(engine.Adapter.Calls, c => c.Agent.Name == "b");
    }

    [Fact]
    public async Task A_hanging_attempt_times_out_and_its_token_fires()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Hang());
        var request = new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a"], Timeout = TimeSpan.FromMilliseconds(200) };

        // The fake hangs until its token fires, so returning at all proves the timeout cancelled it.
        var result = Assert.Single(await engine.RunAsync(request));

        Assert.Equal((TaskState.Timeout, false, nameof(ErrorId.TaskTimeout)), (result.Status, result.Success, result.ErrorId));
        Assert.Contains("within 0.2 s", result.Error);
        Assert.Single(engine.Adapter.CancelledCalls);
    }

    [Fact]
    public async Task Retryable_failures_are_retried_with_growing_back_off_until_success()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.FlakyThenAnswer(3, "finally"));
        var context = new RecordingContext();
        var request = new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a"], Retry = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(10) };

        var result = Assert.Single(await engine.RunAsync(request, context));

        Assert.Equal((TaskState.Completed, "finally", 4), (result.Status, result.Output, result.Attempt));
        var delays = context.Verbose.Where(v => v.Contains("retry")).Select(v => int.Parse(v.Split(" in ")[1].Split(' ')[0])).ToList();
        Assert.Equal(3, delays.Count);
        // 10·2^n with up to 50% jitter: each delay lies in its own band, so they grow.
        Assert.InRange(delays[0], 10, 15);
        Assert.InRange(delays[1], 20, 30);
        Assert.InRange(delays[2], 40, 60);
    }

    [Fact]
    public async Task A_failure_that_is_not_retryable_is_not_retried()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Fail("bad prompt", retryable: false));
        var request = new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a"], Retry = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(1) };

        var result = Assert.Single(await engine.RunAsync(request));

        Assert.Equal((TaskState.Failed, "bad prompt", 1), (result.Status, result.Error, result.Attempt));
        Assert.Single(engine.Adapter.Calls);
    }

    [Fact]
    public async Task Retries_run_out_and_the_fallback_agent_answers()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Fail("overloaded", retryable: true));
        engine.Adapter.On("b", FakeBehaviours.Answer("b saves the day"));
        var request = new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a"], Retry = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(1), Fallback = ["b"] };

        var result = Assert.Single(await engine.RunAsync(request));

        Assert.Equal(("b", TaskState.Completed, "b saves the day", 4), (result.Agent, result.Status, result.Output, result.Attempt));
        Assert.Equal(3, engine.Adapter.Calls.Count(c => c.Agent.Name == "a"));
    }

    [Fact]
    public async Task A_timed_out_agent_falls_back_without_retrying()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Hang());
        engine.Adapter.On("b", FakeBehaviours.Answer("b"));
        var request = new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a"], Retry = 2, Timeout = TimeSpan.FromMilliseconds(100), Fallback = ["b"] };

        var result = Assert.Single(await engine.RunAsync(request));

        Assert.Equal(("b", TaskState.Completed, 2), (result.Agent, result.Status, result.Attempt));
        Assert.Single(engine.Adapter.Calls, c => c.Agent.Name == "a");
    }

    [Fact]
    public async Task Partial_failure_never_stops_the_other_agents()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Fail("crashed"));
        engine.Adapter.On("b", FakeBehaviours.Answer("fine", delayMs: 100));
        engine.Adapter.On("c", FakeBehaviours.Answer("fine too", delayMs: 50));

        var results = await engine.RunAsync(Request(TaskMode.Parallel, "p", "a", "b", "c"));

        Assert.Equal(["a", "c", "b"], results.Select(r => r.Agent));
        Assert.Equal([false, true, true], results.Select(r => r.Success));
    }

    [Fact]
    public async Task DependsOn_waits_for_the_task_and_fails_fast_when_it_failed()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Answer("first", delayMs: 100));
        engine.Adapter.On("b", FakeBehaviours.Answer("second"));
        engine.Adapter.On("c", FakeBehaviours.Fail("broken"));
        var request = new InvokeTaskRequest
        {
            Tasks =
            [
                new TaskSpec { TaskId = "one", Prompt = "1", Agents = ["a"] },
                new TaskSpec { TaskId = "two", Prompt = "2", Agents = ["b"], DependsOn = ["one"] },
                new TaskSpec { TaskId = "bad", Prompt = "3", Agents = ["c"] },
                new TaskSpec { TaskId = "after-bad", Prompt = "4", Agents = ["b"], DependsOn = ["bad"] },
                new TaskSpec { TaskId = "orphan", Prompt = "5", Agents = ["b"], DependsOn = ["nobody"] },
            ],
        };

        var results = (await engine.RunAsync(request)).ToDictionary(r => r.TaskId);

        Assert.True(results["two"].StartedAt >= results["one"].CompletedAt);
        Assert.Equal(TaskState.Completed, results["two"].Status);
        Assert.Equal((TaskState.Failed, nameof(ErrorId.TaskDependenciesNotMet)), (results["after-bad"].Status, results["after-bad"].ErrorId));
        Assert.Contains("'bad'", results["after-bad"].Error);
        Assert.Contains("'nobody'", results["orphan"].Error);
        Assert.DoesNotContain(engine.Adapter.Calls, c => c.Task.Id is "after-bad" or "orphan");
    }

    [Fact]
    public async Task DependsOn_reaches_a_task_of_an_earlier_request_in_the_session()
    {
        using var engine = new TaskEngineFixture();
        await engine.RunAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { TaskId = "base", Prompt = "x" }], Agents = ["a", "b"] });

        var result = Assert.Single(await engine.RunAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "y", DependsOn = ["base"] }], Agents = ["c"] }));

        Assert.Equal(TaskState.Completed, result.Status);

        // The earlier request's outcome is really consulted: a dependency on a failed task of its is refused, not run.
        engine.Adapter.On("b", FakeBehaviours.Fail("no"));
        await engine.RunAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { TaskId = "broken", Prompt = "x" }], Agents = ["b"] });
        var blocked = Assert.Single(await engine.RunAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { TaskId = "after-broken", Prompt = "z", DependsOn = ["broken"] }], Agents = ["c"] }));
        Assert.Equal((TaskState.Failed, nameof(ErrorId.TaskDependenciesNotMet)), (blocked.Status, blocked.ErrorId));
        Assert.DoesNotContain(engine.Adapter.Calls, c => c.Task.Id == "after-broken");
    }

    [Fact]
    public async Task Priority_orders_the_queue_when_the_agent_is_busy()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Answer("x", delayMs: 20));
        var request = new InvokeTaskRequest
        {
            Tasks =
            [
                new TaskSpec { TaskId = "low", Prompt = "1", Priority = 1 },
                new TaskSpec { TaskId = "mid", Prompt = "2", Priority = 5 },
                new TaskSpec { TaskId = "high", Prompt = "3", Priority = 10 },
                new TaskSpec { TaskId = "mid2", Prompt = "4" },
            ],
            Agents = ["a"],
            Mode = TaskMode.Distribute,
        };

        await engine.RunAsync(request);

        Assert.Equal(["a:high", "a:mid", "a:mid2", "a:low"], engine.Adapter.StartOrder);
    }

    [Fact]
    public async Task Cancellation_ends_the_hung_work_and_keeps_finished_results()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Answer("quick"));
        engine.Adapter.On("b", FakeBehaviours.Hang());
        engine.Adapter.On("c", FakeBehaviours.Hang());
        using var cancel = new CancellationTokenSource();
        var results = new List<TaskResult>();

        await foreach (var result in engine.Operations.InvokeAsync(Request(TaskMode.Parallel, "p", "a", "b", "c"), Core.Hosting.SilentOperationContext.Instance, cancel.Token))
        {
            results.Add(result);
            if (result.Agent == "a")
            {
                cancel.Cancel();
            }
        }

        // b and c hang until their tokens fire: the stream ending at all is the cancellation reaching them.
        Assert.Equal(3, results.Count);
        Assert.Equal(TaskState.Completed, results.Single(r => r.Agent == "a").Status);
        Assert.All(results.Where(r => r.Agent != "a"), r => Assert.Equal((TaskState.Cancelled, nameof(ErrorId.TaskCancelled)), (r.Status, r.ErrorId)));
        Assert.Equal(2, engine.Adapter.CancelledCalls.Count);
    }

    [Fact]
    public async Task Cancellation_marks_queued_tasks_cancelled_without_starting_them()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.On("a", FakeBehaviours.Hang());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var request = new InvokeTaskRequest { Tasks = [.. Enumerable.Range(1, 5).Select(i => new TaskSpec { Prompt = $"p{i}" })], Agents = ["a"], Mode = TaskMode.Distribute };

        var results = await engine.RunAsync(request, cancellationToken: cancel.Token);

        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal(TaskState.Cancelled, r.Status));
        Assert.Single(engine.Adapter.Calls);
    }

    [Fact]
    public async Task Throttle_limit_and_each_agents_max_concurrency_bound_the_peak()
    {
        using var engine = new TaskEngineFixture(TaskEngineFixture.Agent("a", 2), TaskEngineFixture.Agent("b", 2), TaskEngineFixture.Agent("c", 1));
        foreach (var name in new[] { "a", "b", "c" })
        {
            engine.Adapter.On(name, FakeBehaviours.Answer(name, delayMs: 40));
        }

        var tasks = Enumerable.Range(1, 12).Select(i => new TaskSpec { Prompt = $"p{i}" }).ToList();
        await engine.RunAsync(new InvokeTaskRequest { Tasks = tasks, Agents = ["a", "b", "c"], Mode = TaskMode.Distribute, Distribution = DistributionStrategy.LeastBusy, ThrottleLimit = 4 });
        Assert.Equal(4, engine.Adapter.PeakConcurrency);
        Assert.Equal(12, engine.Adapter.Calls.Count);

        using var unthrottled = new TaskEngineFixture(TaskEngineFixture.Agent("a", 2), TaskEngineFixture.Agent("b", 2), TaskEngineFixture.Agent("c", 1));
        foreach (var name in new[] { "a", "b", "c" })
        {
            unthrottled.Adapter.On(name, FakeBehaviours.Answer(name, delayMs: 40));
        }

        await unthrottled.RunAsync(new InvokeTaskRequest { Tasks = tasks, Agents = ["a", "b", "c"], Mode = TaskMode.Distribute, Distribution = DistributionStrategy.LeastBusy });
        Assert.Equal(5, unthrottled.Adapter.PeakConcurrency);
        Assert.Equal((2, 2, 1), (unthrottled.Adapter.PeakByAgent["a"], unthrottled.Adapter.PeakByAgent["b"], unthrottled.Adapter.PeakByAgent["c"]));
    }

    [Fact]
    public async Task Round_robin_deals_tasks_in_turn_and_hash_is_stable_by_prompt()
    {
        using var engine = new TaskEngineFixture();
        var tasks = Enumerable.Range(1, 6).Select(i => new TaskSpec { Prompt = $"p{i}" }).ToList();

        var robin = await engine.RunAsync(new InvokeTaskRequest { Tasks = tasks, Agents = ["a", "b", "c"], Mode = TaskMode.Distribute });
        Assert.Equal(["a", "b", "c", "a", "b", "c"], robin.OrderBy(r => int.Parse(r.Prompt![1..])).Select(r => r.Agent));

        var first = await engine.RunAsync(new InvokeTaskRequest { Tasks = tasks, Agents = ["a", "b", "c"], Mode = TaskMode.Distribute, Distribution = DistributionStrategy.Hash });
        var second = await engine.RunAsync(new InvokeTaskRequest { Tasks = [.. tasks.AsEnumerable().Reverse()], Agents = ["a", "b", "c"], Mode = TaskMode.Distribute, Distribution = DistributionStrategy.Hash });
        Assert.Equal(first.ToDictionary(r => r.Prompt!, r => r.Agent), second.ToDictionary(r => r.Prompt!, r => r.Agent));
        Assert.True(first.Select(r => r.Agent).Distinct().Count() > 1, "six prompts all hashed to one agent");
    }

    [Fact]
    public async Task Capability_sends_each_task_to_an_agent_with_its_tags()
    {
        using var engine = new TaskEngineFixture(TaskEngineFixture.Agent("coder", 1, "code"), TaskEngineFixture.Agent("writer", 1, "prose"), TaskEngineFixture.Agent("both", 1, "code", "prose", "review"));
        var request = new InvokeTaskRequest
        {
            Tasks =
            [
                new TaskSpec { TaskId = "r", Prompt = "review", Capabilities = ["review"] },
                new TaskSpec { TaskId = "p", Prompt = "poem", Capabilities = ["prose"] },
                new TaskSpec { TaskId = "x", Prompt = "fly", Capabilities = ["wings"] },
            ],
            Agents = ["coder", "writer", "both"],
            Mode = TaskMode.Distribute,
            Distribution = DistributionStrategy.Capability,
        };

        var results = (await engine.RunAsync(request)).ToDictionary(r => r.TaskId);

        Assert.Equal("both", results["r"].Agent);
        Assert.Contains(results["p"].Agent, new[] { "writer", "both" });
        Assert.Equal((TaskState.Failed, nameof(ErrorId.AgentNotFound)), (results["x"].Status, results["x"].ErrorId));
        Assert.Contains("wings", results["x"].Error);
    }

    [Fact]
    public async Task Unknown_agents_and_bad_priorities_are_refused_before_anything_runs()
    {
        using var engine = new TaskEngineFixture();

        var unknown = await Assert.ThrowsAsync<AiSwitchException>(() => engine.RunAsync(Request(TaskMode.Parallel, "p", "a", "nope")));
        var priority = await Assert.ThrowsAsync<AiSwitchException>(() => engine.RunAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p", Priority = 11 }], Agents = ["a"] }));

        Assert.Equal(ErrorId.AgentNotFound, unknown.Id);
        Assert.Contains("Known agents: a, b, c", unknown.Message);
        Assert.Equal(ErrorId.InvalidArgument, priority.Id);
        var badId = await Assert.ThrowsAsync<AiSwitchException>(() => engine.RunAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p", TaskId = "../escape" }], Agents = ["a"] }));
        Assert.Contains("'../escape'", badId.Message);
        Assert.Empty(engine.Adapter.Calls);
    }

    [Fact]
    public async Task WhatIf_plans_without_running_anything()
    {
        using var engine = new TaskEngineFixture();
        var context = new RecordingContext(agree: false);

        var results = await engine.RunAsync(Request(TaskMode.Parallel, "p", "a", "b"), context);

        Assert.Empty(results);
        Assert.Empty(engine.Adapter.Calls);
        Assert.Equal(2, context.Asked.Count);
        Assert.False(File.Exists(Path.Combine(engine.Home.StateDir, "tasks.json")));
        Assert.Equal(["a", "b"], engine.Operations.Plan(Request(TaskMode.Parallel, "p", "a", "b")).Select(u => u.Agent));
    }

    [Fact]
    public async Task Progress_has_one_activity_per_agent_each_closed_by_a_completed_record()
    {
        using var engine = new TaskEngineFixture();
        var context = new RecordingContext();

        await engine.RunAsync(Request(TaskMode.Parallel, "p", "a", "b"), context);

        var activities = context.Progress.GroupBy(p => p.ActivityId).ToList();
        Assert.Equal(2, activities.Count);
        Assert.All(activities, a => Assert.True(a.Last().Completed && a.Count(p => p.Completed) == 1));
    }

    [Fact]
    public async Task An_agents_reported_progress_becomes_its_activitys_percent_complete()
    {
        using var engine = new TaskEngineFixture();
        engine.Adapter.ReportProgress("a", 39.6);
        var context = new RecordingContext();

        await engine.RunAsync(Request(TaskMode.Parallel, "p", "a"), context);

        var records = context.Progress.ToList();
        var reported = Assert.Single(records, p => p.PercentComplete == 40);
        Assert.Equal("Running (attempt 1, 40%)", reported.Status);
        Assert.True(records.IndexOf(reported) < records.FindIndex(p => p.Completed), "the progress comes before the activity is completed");
    }

    [Fact]
    public async Task Finished_tasks_raise_the_event_and_admission_can_refuse_an_attempt()
    {
        using var engine = new TaskEngineFixture();
        var seen = new List<TaskResult>();
        engine.Operations.TaskFinished += (_, e) => { lock (seen) { seen.Add(e.Result); } };
        engine.Operations.Admission = new RefuseAgent("a");
        var request = new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["a"], Fallback = ["b"] };

        var result = Assert.Single(await engine.RunAsync(request));

        Assert.Equal(("b", TaskState.Completed), (result.Agent, result.Status));
        Assert.Same(result, Assert.Single(seen));
        Assert.DoesNotContain(engine.Adapter.Calls, c => c.Agent.Name == "a");
    }

    private sealed class RefuseAgent(string name) : ITaskAdmission
    {
        public ValueTask AdmitAsync(AgentDefinition agent, string taskId, CancellationToken cancellationToken) => agent.Name == name
            ? throw new AiSwitchException(ErrorId.InvalidArgument, $"Quota for '{name}' is spent.")
            : ValueTask.CompletedTask;
    }
}
