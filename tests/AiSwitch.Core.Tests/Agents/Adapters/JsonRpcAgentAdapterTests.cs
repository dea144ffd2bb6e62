using System.Text.Json;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Protocol;
using AiSwitch.Core.Tests.Support;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>The jsonrpc adapter against the real reference agent process (docs/reference-agent.md sets its behaviour).</summary>
public sealed class JsonRpcAgentAdapterTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempHome _home = new();
    private readonly ProcessSupervisor _launcher;
    private readonly List<JsonRpcAgent> _agents = [];

    public JsonRpcAgentAdapterTests()
    {
        _launcher = new ProcessSupervisor(_home.Home.EnsureCreated(), "jsonrpc-adapter-tests");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        await _launcher.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task TheHandshakeAgreesOnTheProtocolAndTheAgentIsHealthy()
    {
        var agent = await StartAsync(Reference("hello"));

        Assert.Equal("1.0.0", agent.ProtocolVersion);
        Assert.Contains(ProtocolFeatures.EnvSwitching, agent.Features);
        Assert.StartsWith("aiswitch-reference-agent", agent.AgentInfo, StringComparison.Ordinal);
        Assert.Equal(_launcher.Running.Single().Pid, agent.Pid);
        Assert.True((await agent.ProbeAsync(CancellationToken.None)).IsHealthy);
        Assert.False(agent.Exited.IsCompleted);
    }

    [Fact]
    public async Task ATaskReturnsTheAgentsTextAndExactTokensAndItsEvents()
    {
        var agent = await StartAsync(Reference("tokens"));
        var observer = new RecordingObserver();
        var task = Work("t-tokens", ("reply", "forty-two"), ("input_tokens", 120), ("output_tokens", 34), ("cache_read_tokens", 20),
            ("cache_write_tokens", 5), ("reasoning_tokens", 3), ("cost_usd", "0.25"), ("model", "ref-model"));

        var result = await agent.RunAsync(Invocation(agent.Launch, task), observer, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        Assert.Equal("forty-two", result.Text);
        Assert.Equal((120L, 34L, 20L, 5L, 3L), (result.InputTokens, result.OutputTokens, result.CacheReadTokens, result.CacheWriteTokens, result.ReasoningTokens));
        Assert.Equal((0.25m, CostSource.Agent, "ref-model"), (result.CostUsd, result.CostSource, result.Model));
        Assert.Equal(agent.Pid, await observer.Started);
        Assert.Equal("forty-two", string.Concat(observer.Deltas));
        // The agent's final event reaches the observer before the result does, not some time after the task ended.
        Assert.Equal(["task.started", "task.completed"], observer.Events.Where(e => e.StartsWith("task.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AFailedTaskIsAFailedResultWithTheAgentsError()
    {
        var agent = await StartAsync(Reference("fails"));

        var result = await agent.RunAsync(Invocation(agent.Launch, Work("t-fail", ("fail", "the disk is full"))), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal("the disk is full", result.Error);
        Assert.False(result.Retryable);
    }

    [Fact]
    public async Task RunsUpToMaxConcurrencyTasksAtOnce()
    {
        var agent = await StartAsync(Reference("parallel", maxConcurrency: 3));
        var running = 0;
        var most = 0;
        agent.EventPublished += published =>
        {
            var now = published.EventType switch
            {
                "task.started" => Interlocked.Increment(ref running),
                "task.completed" => Interlocked.Decrement(ref running),
                _ => Volatile.Read(ref running),
            };
            InterlockedMax(ref most, now);
        };

        var results = await Task.WhenAll(Enumerable.Range(0, 7).Select(i =>
            agent.RunAsync(Invocation(agent.Launch, Work($"t-par-{i}", ("latency_ms", 300))), NullAgentRunObserver.Instance, CancellationToken.None)));

        Assert.All(results, r => Assert.True(r.Success, r.Error));
        Assert.Equal(3, Volatile.Read(ref most));
    }

    [Fact]
    public async Task CancellingAHungTaskReturnsAndTheAgentCancelsIt()
    {
        var agent = await StartAsync(Reference("hangs"));
        var cancelledAtAgent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.EventPublished += published =>
        {
            if (published.EventType == "task.cancelled")
            {
                cancelledAtAgent.TrySetResult();
            }
        };
        var observer = new RecordingObserver();
        using var cancellation = new CancellationTokenSource();

        var run = agent.RunAsync(Invocation(agent.Launch, Work("t-hang", ("hang", true))), observer, cancellation.Token);
        await observer.WaitForEventAsync("task.started");
        await cancellation.CancelAsync();

        // The agent hangs for good: the run ending cancelled is the coordinator's doing, not the agent's answer.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        await cancelledAtAgent.Task.WaitAsync(Patience);
        var next = await agent.RunAsync(Invocation(agent.Launch, Work("t-after", ("reply", "still here"))), NullAgentRunObserver.Instance, CancellationToken.None);
        Assert.Equal("still here", next.Text);
    }

    [Fact]
    public async Task ACrashMidTaskFailsItWithAgentCrashedAtOnceAndTheAgentCanBeStartedAgain()
    {
        var adapter = Adapter();
        var agent = await StartAsync(Reference("crashes"), adapter);

        var result = await agent.RunAsync(Invocation(agent.Launch, Work("t-crash", ("crash", "exit"))), NullAgentRunObserver.Instance, CancellationToken.None);
        var exit = await agent.Exited.WaitAsync(Patience);

        Assert.False(result.Success);
        Assert.Equal(ErrorId.AgentCrashed, result.ErrorId);
        Assert.Equal(-41008, result.ErrorId!.Value.Code());
        Assert.True(result.Retryable);
        Assert.Equal((3, false), (exit.ExitCode, exit.Requested));
        Assert.Contains("exited unexpectedly with code 3", exit.Reason, StringComparison.Ordinal);
        Assert.False((await agent.ProbeAsync(CancellationToken.None)).IsHealthy);
        // The answer came from the exit itself (AgentCrashed above, with its exit code), not a timeout.

        // What the registry does under RestartPolicy.OnFailure: start it again with the same launch.
        var restarted = await StartAsync(agent.Launch, adapter);
        var again = await restarted.RunAsync(Invocation(restarted.Launch, Work("t-again", ("reply", "back"))), NullAgentRunObserver.Instance, CancellationToken.None);
        Assert.Equal("back", again.Text);
        Assert.NotEqual(agent.Pid, restarted.Pid);
    }

    [Fact]
    public async Task AnAgentThatPrintsGarbageFailsWithAClearErrorWithinTheStartTimeout()
    {
        var launch = Launch(new AgentDefinition
        {
            Name = "garbler",
            Adapter = AdapterNames.JsonRpc,
            Command = "/bin/sh",
            Arguments = ["-c", "echo 'Welcome to my agent!'; echo 'loading...'; while read -r line; do :; done"],
        });

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => Adapter(TimeSpan.FromSeconds(1)).StartAgentAsync(launch, CancellationToken.None));

        // The cause, not the seconds: it failed on the start timeout and says the output was not JSON-RPC.
        Assert.Equal(ErrorId.AgentInitializationFailed, error.Id);
        Assert.Contains("'garbler'", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("did not answer agent.initialize within 1 s", StringComparison.Ordinal), error.Message);
        Assert.Contains("2 line(s) on stdout that are not JSON-RPC", error.Message, StringComparison.Ordinal);
        Assert.Contains("docs/protocol.md", error.Message, StringComparison.Ordinal);
        Assert.Empty(_launcher.Running); // and it was not left running
    }

    [Fact]
    [Trait("Suite", "Hostile")]
    public async Task AnAgentThatFloodsRequestsAndNeverReadsItsStdinIsCutOffKilledAndItsTaskFails()
    {
        var launch = Launch(TestLaunches.FloodingAgent("flooder"));
        var agent = await StartAsync(launch);

        var result = await agent.RunAsync(Invocation(agent.Launch, Work("t-flooded", ("reply", "never"))), NullAgentRunObserver.Instance, CancellationToken.None).WaitAsync(Patience);
        var exit = await agent.Exited.WaitAsync(Patience);

        Assert.False(result.Success);
        Assert.Equal(ErrorId.AgentProtocolViolation, result.ErrorId);
        Assert.False(result.Retryable);
        Assert.Contains("stopped reading what was sent to it: over 16 MiB of messages were waiting", result.Error, StringComparison.Ordinal);
        Assert.False(exit.Requested);
        Assert.StartsWith($"Agent 'flooder' (pid {agent.Pid}) was killed: 'agent 'flooder'' stopped reading", exit.Reason, StringComparison.Ordinal);
        Assert.Contains("an agent must keep reading its stdin", exit.Reason, StringComparison.Ordinal);
        Assert.False((await agent.ProbeAsync(CancellationToken.None)).IsHealthy);
        Assert.Empty(_launcher.Running);
    }

    [Fact]
    public async Task AnAgentWhoseAssignAnswerHasNoResultIsAskedForItWithTaskResult()
    {
        // A minimal agent as seed 003 has it: task.assign answers with the assignment only; the result comes from task.result.
        const string agentScript = """
            while IFS= read -r line; do
              id=${line#*\"id\":}; id=${id%%,*}
              case $line in
                *'"agent.initialize"'*) echo "{\"jsonrpc\":\"2.0\",\"id\":$id,\"result\":{\"agent_id\":\"plain\",\"protocol_version\":\"1.0.0\",\"supported_features\":[]}}" ;;
                *'"task.assign"'*) echo "{\"jsonrpc\":\"2.0\",\"id\":$id,\"result\":{\"task_id\":\"t-plain\",\"assigned_at\":\"2026-01-01T00:00:00Z\"}}" ;;
                *'"task.result"'*) echo "{\"jsonrpc\":\"2.0\",\"id\":$id,\"result\":{\"task_id\":\"t-plain\",\"success\":true,\"result\":\"asked for\",\"execution_time_ms\":5,\"completed_at\":\"2026-01-01T00:00:01Z\"}}" ;;
                *'"id"'*) echo "{\"jsonrpc\":\"2.0\",\"id\":$id,\"result\":{}}" ;;
              esac
            done
            """;
        var agent = await StartAsync(Launch(new AgentDefinition { Name = "plain", Adapter = AdapterNames.JsonRpc, Command = "/bin/sh", Arguments = ["-c", agentScript] }));

        var result = await agent.RunAsync(Invocation(agent.Launch, Work("t-plain")), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        Assert.Equal("asked for", result.Text);
    }

    [Fact]
    public async Task ATasksFirstOutputEventIsItsTimeToFirstTokenAndLifecycleEventsAreNot()
    {
        // The agent says task.started, sends an output event when the test lets it, and answers when the test lets it.
        var output = Path.Combine(Directory.CreateDirectory(_home.Root).FullName, "output");
        var release = Path.Combine(_home.Root, "release");
        var agentScript = $$$$"""
            while IFS= read -r line; do
              id=${line#*\"id\":}; id=${id%%,*}
              case $line in
                *'"agent.initialize"'*) echo "{\"jsonrpc\":\"2.0\",\"id\":$id,\"result\":{\"agent_id\":\"streamer\",\"protocol_version\":\"1.0.0\",\"supported_features\":[]}}" ;;
                *'"task.assign"'*)
                  echo '{"jsonrpc":"2.0","method":"event.publish","params":{"event_type":"task.started","data":{"task_id":"t-stream"}}}'
                  while [ ! -e '{{{{output}}}}' ]; do sleep 0.05; done
                  echo '{"jsonrpc":"2.0","method":"event.publish","params":{"event_type":"task.output","data":{"task_id":"t-stream","text":"par"}}}'
                  while [ ! -e '{{{{release}}}}' ]; do sleep 0.05; done
                  echo "{\"jsonrpc\":\"2.0\",\"id\":$id,\"result\":{\"task_id\":\"t-stream\",\"assigned_at\":\"2026-01-01T00:00:00Z\",\"result\":{\"task_id\":\"t-stream\",\"success\":true,\"result\":\"partial\",\"execution_time_ms\":5,\"completed_at\":\"2026-01-01T00:00:01Z\"}}}" ;;
                *'"id"'*) echo "{\"jsonrpc\":\"2.0\",\"id\":$id,\"result\":{}}" ;;
              esac
            done
            """;
        var agent = await StartAsync(Launch(new AgentDefinition { Name = "streamer", Adapter = AdapterNames.JsonRpc, Command = "/bin/sh", Arguments = ["-c", agentScript] }));
        var observer = new RecordingObserver();

        var running = agent.RunAsync(Invocation(agent.Launch, Work("t-stream")), observer, CancellationToken.None);
        await observer.WaitForEventAsync("task.started");
        var firstTokensAfterStarted = observer.FirstTokens;
        await File.WriteAllTextAsync(output, string.Empty);
        await observer.WaitForEventAsync("task.output");
        await observer.FirstToken.WaitAsync(Patience);
        var firstTokensBeforeTheAnswer = observer.FirstTokens;
        await File.WriteAllTextAsync(release, string.Empty);
        var result = await running;

        Assert.True(result.Success, result.Error);
        Assert.Equal(0, firstTokensAfterStarted); // task.started says where the task is, not what it produced
        Assert.Equal(1, firstTokensBeforeTheAnswer);
        Assert.Equal(1, observer.FirstTokens); // the answer's text is not a second first token
        Assert.NotNull(result.TimeToFirstToken);
        Assert.True(result.TimeToFirstToken < result.Duration, $"first token {result.TimeToFirstToken} came before the answer ({result.Duration})");
    }

    [Fact]
    public async Task AnAnswerWithoutOutputEventsIsTheTasksFirstToken()
    {
        var agent = await StartAsync(Reference("plain-answer"));

        var result = await agent.RunAsync(Invocation(agent.Launch, Work("t-answer", ("reply", "forty-two"))), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.True(result.Success, result.Error);
        Assert.NotNull(result.TimeToFirstToken);
        Assert.InRange(result.TimeToFirstToken.Value, TimeSpan.Zero, result.Duration);
    }

    [Fact]
    public async Task AnAgentThatExitsAtOnceFailsWithoutWaitingForTheStartTimeout()
    {
        var launch = Launch(new AgentDefinition { Name = "quitter", Adapter = AdapterNames.JsonRpc, Command = "/bin/sh", Arguments = ["-c", "exit 7"] });

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => Adapter(TimeSpan.FromSeconds(30)).StartAgentAsync(launch, CancellationToken.None));

        // The exit ended the wait, not the 30 s start timeout: the message names the exit and no timeout.
        Assert.Equal(ErrorId.AgentInitializationFailed, error.Id);
        Assert.Contains("exited (code 7)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("within 30 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEnvironmentSwitchIsSeenByTheNextTaskButNotByTheRunningOne()
    {
        var agent = await StartAsync(Reference("switcher", maxConcurrency: 2, preset: "preset-a", variables: ("MODEL_URL", "http://a.example")));
        var observer = new RecordingObserver();
        var running = agent.RunAsync(Invocation(agent.Launch, Work("t-long", ("echo_env", "MODEL_URL"), ("latency_ms", 1500))), observer, CancellationToken.None);
        await observer.WaitForEventAsync("task.started");

        await agent.SwitchEnvironmentAsync(Launch(agent.Launch.Agent, "preset-b", ("MODEL_URL", "http://b.example")), CancellationToken.None);
        var next = await agent.RunAsync(Invocation(agent.Launch, Work("t-next", ("echo_env", "MODEL_URL"))), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.Equal("MODEL_URL=http://b.example", next.Text);
        Assert.False(running.IsCompleted, "the long task should still be running when the next one has finished");
        Assert.Equal("MODEL_URL=http://a.example", (await running).Text);
        Assert.Equal("preset-b", agent.Launch.PresetName);
    }

    [Fact]
    public async Task AnEnvironmentSwitchTheAgentRefusesIsEnvironmentSwitchFailedAndChangesNothing()
    {
        var agent = await StartAsync(Reference("refuser", preset: "preset-a", variables: ("X", "1")));
        var bad = Launch(agent.Launch.Agent, "preset-bad", ("BAD=NAME", "1"));

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => agent.SwitchEnvironmentAsync(bad, CancellationToken.None));

        Assert.Equal(ErrorId.EnvironmentSwitchFailed, error.Id);
        Assert.Equal(-40202, error.Id.Code());
        Assert.Contains("'refuser'", error.Message, StringComparison.Ordinal);
        Assert.Equal("preset-a", agent.Launch.PresetName);
        var after = await agent.RunAsync(Invocation(agent.Launch, Work("t-x", ("echo_env", "X"))), NullAgentRunObserver.Instance, CancellationToken.None);
        Assert.Equal("X=1", after.Text);
    }

    [Fact]
    public async Task HeartbeatsKeepTheAgentHealthyAndTheirAbsenceMakesItUnhealthy()
    {
        var adapter = Adapter(heartbeatTimeout: TimeSpan.FromMilliseconds(1500));
        var beating = await StartAsync(Reference("beating", extraArguments: ["--heartbeat-ms", "50"]), adapter);
        var silent = await StartAsync(Reference("silent", extraArguments: ["--heartbeat-ms", "0"]), adapter);
        var first = beating.LastHeartbeat;

        // Time itself is the subject here: the probe judges how long the agent has been silent.
        await Task.Delay(TimeSpan.FromMilliseconds(2000));

        Assert.True(beating.LastHeartbeat > first, $"last heartbeat {beating.LastHeartbeat:O}, first {first:O}");
        var beatingHealth = await beating.ProbeAsync(CancellationToken.None);
        Assert.True(beatingHealth.IsHealthy, beatingHealth.Reason);
        var health = await silent.ProbeAsync(CancellationToken.None);
        Assert.False(health.IsHealthy);
        Assert.Contains("sent no heartbeat", health.Reason, StringComparison.Ordinal);
        Assert.Contains("(limit 1.5 s); it is hung or too busy to answer.", health.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentWhoseHeartbeatsStillComeButThatNeverAnswersAgentStatusIsUnhealthy()
    {
        // Its heartbeat loop runs on its own while its main loop ignores agent.status: the heartbeat alone says healthy.
        const string agentScript = """
            beat() { n=1000; while :; do n=$((n+1)); echo "{\"jsonrpc\":\"2.0\",\"id\":$n,\"method\":\"coordination.heartbeat\",\"params\":{\"agent_id\":\"stuck\",\"status\":\"idle\"}}"; sleep 0.1; done; }
            while IFS= read -r line; do
              id=${line#*\"id\":}; id=${id%%,*}
              case $line in
                *'"agent.initialize"'*) echo "{\"jsonrpc\":\"2.0\",\"id\":$id,\"result\":{\"agent_id\":\"stuck\",\"protocol_version\":\"1.0.0\",\"supported_features\":[\"heartbeat\"]}}"; beat & ;;
                *'"agent.status"'*) ;;
                *'"method"'*) echo "{\"jsonrpc\":\"2.0\",\"id\":$id,\"result\":{}}" ;;
              esac
            done
            """;
        var stuck = await StartAsync(Launch(new AgentDefinition { Name = "stuck", Adapter = AdapterNames.JsonRpc, Command = "/bin/sh", Arguments = ["-c", agentScript] }),
            Adapter(statusTimeout: TimeSpan.FromMilliseconds(500)));
        var answering = await StartAsync(Reference("answering"));

        var stuckHealth = await stuck.ProbeAsync(CancellationToken.None);
        var answeringHealth = await answering.ProbeAsync(CancellationToken.None);

        Assert.False(stuckHealth.IsHealthy);
        Assert.Equal($"Agent 'stuck' (pid {stuck.Pid}) did not answer agent.status within 0.5 s, though its heartbeats still arrive: it is stuck.", stuckHealth.Reason);
        Assert.False(stuck.Exited.IsCompleted);
        Assert.True(answeringHealth.IsHealthy, answeringHealth.Reason);
    }

    [Fact]
    public async Task ARunningTasksProgressFromTaskStatusReachesTheObserverOnceEachTimeItChanges()
    {
        var agent = await StartAsync(Reference("progressing"), Adapter(progressInterval: TimeSpan.FromMilliseconds(50)));
        var observer = new RecordingObserver();
        using var cancellation = new CancellationTokenSource();

        // The task reports 40 % and then hangs: the progress can only have come from asking task.status while it runs.
        var run = agent.RunAsync(Invocation(agent.Launch, Work("t-progress", ("progress", 40), ("hang", true))), observer, cancellation.Token);
        var first = await observer.FirstProgress.WaitAsync(Patience);
        await observer.WaitForEventAsync("task.started");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        Assert.Equal(40.0, first);
        Assert.Equal([40.0], observer.Progress);
    }

    [Fact]
    public async Task TheAgentsCoordinationLocksAreTheHomesFileLocks()
    {
        var agent = await StartAsync(Reference("locker"));
        var locked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.EventPublished += published =>
        {
            if (published.EventType == "locked")
            {
                locked.TrySetResult();
            }
        };

        var run = agent.RunAsync(Invocation(agent.Launch, Work("t-lock", ("lock", "repo-main"), ("publish_event", "locked"), ("latency_ms", 300))), NullAgentRunObserver.Instance, CancellationToken.None);
        await locked.Task.WaitAsync(Patience);
        var whileRunning = new Core.Locking.LockOperations(_home.Home).List("repo-main");
        var result = await run;

        Assert.True(result.Success, result.Error);
        Assert.Equal("repo-main", Assert.Single(whileRunning).Name);
        Assert.Empty(agent.HeldLocks);
    }

    [Fact]
    public async Task StoppingSendsShutdownAndTheAgentExitsOnItsOwn()
    {
        var agent = await StartAsync(Reference("stopper"));

        await agent.StopAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        var exit = await agent.Exited;

        Assert.Equal((0, true), (exit.ExitCode, exit.Requested));
    }

    [Fact]
    public async Task TheAdaptersOwnRunStartsRunsAndStopsAnAgentForOneTask()
    {
        var launch = Reference("one-shot");
        var result = await Adapter().RunAsync(Invocation(launch, Work("t-once", ("reply", "once"))), NullAgentRunObserver.Instance, CancellationToken.None);

        Assert.Equal("once", result.Text);
        Assert.Empty(_launcher.Running);
    }

    [Fact]
    public async Task CheckingADefinitionFindsItsCommandOrSaysHowToSetIt()
    {
        var adapter = Adapter();
        var none = await adapter.CheckAsync(new AgentDefinition { Name = "nocmd", Adapter = AdapterNames.JsonRpc }, CancellationToken.None);
        var missing = await adapter.CheckAsync(new AgentDefinition { Name = "gone", Adapter = AdapterNames.JsonRpc, Command = "/no/such/agent" }, CancellationToken.None);
        var present = await adapter.CheckAsync(new AgentDefinition { Name = "sh", Adapter = AdapterNames.JsonRpc, Command = "sh" }, CancellationToken.None);

        Assert.Contains("Register-AiAgent -Name nocmd -Adapter jsonrpc -Command PATH", none.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("'/no/such/agent' was not found", missing.Error!.Message, StringComparison.Ordinal);
        Assert.True(present.IsReady);
        Assert.EndsWith("/sh", present.CommandPath, StringComparison.Ordinal);
    }

    private JsonRpcAgentAdapter Adapter(TimeSpan? startTimeout = null, TimeSpan? heartbeatTimeout = null, TimeSpan? statusTimeout = null, TimeSpan? progressInterval = null) => new(new JsonRpcAgentOptions
    {
        ProgressInterval = progressInterval ?? TimeSpan.FromSeconds(1),
        StartTimeout = startTimeout ?? TimeSpan.FromSeconds(30),
        HeartbeatTimeout = heartbeatTimeout ?? TimeSpan.FromSeconds(30),
        StatusTimeout = statusTimeout ?? TimeSpan.FromSeconds(30),
    });

    private async Task<JsonRpcAgent> StartAsync(AgentLaunch launch, JsonRpcAgentAdapter? adapter = null)
    {
        var agent = await (adapter ?? Adapter()).StartAgentAsync(launch, CancellationToken.None);
        _agents.Add(agent);
        return agent;
    }

    private AgentLaunch Reference(string name, int maxConcurrency = 1, string? preset = null, (string, string)? variables = null, string[]? extraArguments = null) =>
        Launch(TestLaunches.ReferenceAgent(name, maxConcurrency, extraArguments ?? []), preset, variables is { } pair ? [pair] : []);

    private AgentLaunch Launch(AgentDefinition agent, string? preset = null, params (string Name, string Value)[] variables) =>
        TestLaunches.Launch(agent, _home.Home, _launcher, preset, variables.Select(v => KeyValuePair.Create(v.Name, v.Value)));

    private static AgentInvocation Invocation(AgentLaunch launch, AgentTask task) => AgentInvocation.Create(launch, task);

    private static AgentTask Work(string id, params (string Key, object Value)[] metadata) => new()
    {
        Id = id,
        Prompt = "do it",
        Metadata = metadata.ToDictionary(m => m.Key, m => JsonSerializer.SerializeToElement(m.Value)),
    };

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }
}
