using System.Diagnostics;
using System.Text.Json;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Environments;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Locking;
using AiSwitch.Core.Tasks;
using AiSwitch.Core.Usage;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Tests.Agents;

public sealed class AgentRegistryTests : IAsyncLifetime
{
    private readonly AgentWorld _world = new();

    public Task InitializeAsync() => System.Threading.Tasks.Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static AgentTask Work(string prompt = "hi") => new() { Id = Guid.NewGuid().ToString("N"), Prompt = prompt };

    /// <summary>An echo agent: says "ready", then answers each line with "echo LINE" (and its preset's WHICH).</summary>
    private string EchoScript() => AgentTestSupport.Script(_world.Scripts, "echo-agent.sh",
        "echo ready\nwhile read line; do echo \"echo $line $WHICH\"; done");

    private void DefineDaemon(string name = "daemon", string extra = "")
        => _world.WriteAgentsYaml($"agents:\n  - name: {name}\n    adapter: fake-daemon\n    command: {EchoScript()}\n{extra}");

    [Fact]
    public async Task A_per_task_agent_starts_as_ready_and_counts_its_tasks_and_shows_no_process_between_them()
    {
        _world.WriteAgentsYaml("agents:\n  - name: env\n    adapter: fake-task\n    command: env\n  - name: failing\n    adapter: fake-task\n    command: \"false\"\n");
        var registry = _world.NewRegistry();

        var started = await registry.StartAsync(new StartAgentRequest { Name = "env" });
        await registry.RunAsync(new AgentRunRequest { Agent = "env", Task = Work() });
        await registry.RunAsync(new AgentRunRequest { Agent = "env", Task = Work() });
        var failed = await registry.RunAsync(new AgentRunRequest { Agent = "failing", Task = Work() });

        Assert.Equal(AgentStatus.Idle, started.Status);
        var env = registry.Get("env").Single();
        Assert.Equal((AgentStatus.Idle, 2L, 0L, 0), (env.Status, env.TasksDone, env.Errors, env.ActiveTasks));
        Assert.Null(env.Pid);     // each task's process has exited
        Assert.Null(env.Uptime);
        Assert.Empty(registry.Get("env", runningOnly: true));
        Assert.False(failed.Success);
        Assert.Equal((1L, 1L), (registry.Get("failing").Single().TasksDone, registry.Get("failing").Single().Errors));
    }

    [Fact]
    public async Task Another_session_sees_the_agent_in_state_agents_json()
    {
        DefineDaemon();
        var owner = _world.NewRegistry();
        var other = _world.NewRegistry();

        await owner.StartAsync(new StartAgentRequest { Name = "daemon" });
        var seen = other.Get("daemon", runningOnly: true).Single();

        Assert.Equal(AgentStatus.Idle, seen.Status);
        Assert.Equal(Environment.ProcessId, seen.OwnerPid);
        Assert.Equal(owner.Get("daemon").Single().Pid, seen.Pid);

        // The other session cannot reach the agent itself: it asks the owner, which stops it as its own Stop-AiAgent would.
        var stopped = await other.StopAsync(new StopAgentRequest { Name = "daemon" });

        Assert.Equal((AgentStatus.Stopped, Environment.ProcessId), (stopped.Status, stopped.OwnerPid));
        Assert.Equal(AgentStatus.Stopped, owner.Get("daemon").Single().Status);
        await _world.LongLivedAdapter.Started.Single().Exited.WaitAsync(TimeSpan.FromMinutes(1)); // its process is gone
        Assert.Empty(other.Get("daemon", runningOnly: true));
    }

    /// <summary>Issue 13 item 6: a task's reported progress (task.status) reaches a monitor in another process through state/agents.json.</summary>
    [Fact]
    public async Task A_running_tasks_progress_shows_in_another_session_until_the_task_ends()
    {
        DefineDaemon();
        var owner = _world.NewRegistry();
        var other = _world.NewRegistry();
        await owner.StartAsync(new StartAgentRequest { Name = "daemon" });
        var reported = new TaskCompletionSource();
        var finish = new TaskCompletionSource();
        _world.LongLivedAdapter.Started.Single().WhileRunning = async observer =>
        {
            observer.OnProgress(40);
            reported.SetResult();
            await finish.Task;
        };

        var run = owner.RunAsync(new AgentRunRequest { Agent = "daemon", Task = Work() });
        await reported.Task.WaitAsync(TimeSpan.FromMinutes(1));
        while (other.Get("daemon", runningOnly: true).Single().Progress != 40)
        {
            await Task.Yield(); // the owner mirrors it to state/agents.json in the background
        }

        Assert.Equal(40, owner.Get("daemon").Single().Progress);
        finish.SetResult();
        Assert.True((await run.WaitAsync(TimeSpan.FromMinutes(1))).Success);
        Assert.Null(owner.Get("daemon").Single().Progress);
        while (other.Get("daemon", runningOnly: true).Single().Progress is not null)
        {
            await Task.Yield();
        }
    }

    [Fact]
    public async Task An_entry_whose_owner_process_died_reads_as_stopped()
    {
        DefineDaemon();
        using var dead = Process.Start("true")!;
        await dead.WaitForExitAsync();
        var state = Path.Combine(_world.Home.StateDir, "agents.json");
        Directory.CreateDirectory(_world.Home.StateDir);
        await File.WriteAllTextAsync(state, JsonSerializer.Serialize(new
        {
            schema_version = 1,
            data = new { agents = new[] { new { name = "daemon", session_id = "gone", owner_pid = dead.Id, status = "busy", pid = 4242 } } },
        }));

        var agent = _world.NewRegistry().Get("daemon").Single();

        Assert.Equal(AgentStatus.Stopped, agent.Status);
        Assert.Null(agent.OwnerPid);
    }

    [Fact]
    public async Task A_missing_command_fails_to_start_naming_the_agent_and_the_fix()
    {
        _world.WriteAgentsYaml("agents:\n  - name: ghost\n    adapter: fake-task\n    command: no-such-cli-anywhere\n");
        var registry = _world.NewRegistry();

        var ex = await Assert.ThrowsAsync<AiSwitchException>(() => registry.StartAsync(new StartAgentRequest { Name = "ghost" }));

        Assert.Equal(ErrorId.AgentCommandNotFound, ex.Id);
        Assert.Equal("ghost", ex.Target);
        Assert.Contains("Agent 'ghost' cannot start: command 'no-such-cli-anywhere' was not found on PATH. Install the fake agent, or set its path with Register-AiAgent -Name ghost -Adapter fake-task -Command <full path> -Force", ex.Message);
        var agent = registry.Get("ghost").Single();
        Assert.Equal(AgentStatus.Error, agent.Status);
        Assert.Equal(ex.Message, agent.LastError);
    }

    [Fact]
    public async Task A_preset_that_cannot_be_resolved_fails_naming_the_agent()
    {
        _world.Preset("broken", ("OPENAI_API_KEY", "env:NOT_SET_IN_THE_PARENT"));
        _world.WriteAgentsYaml("agents:\n  - name: needy\n    adapter: fake-task\n    command: env\n    preset: broken\n");
        var registry = _world.NewRegistry();

        var ex = await Assert.ThrowsAsync<AiSwitchException>(() => registry.StartAsync(new StartAgentRequest { Name = "needy" }));

        Assert.Equal(ErrorId.ReferenceUnresolved, ex.Id);
        Assert.StartsWith("Agent 'needy' cannot start: Preset 'broken': OPENAI_API_KEY refers to 'env:NOT_SET_IN_THE_PARENT'", ex.Message);
    }

    [Fact]
    public async Task An_http_agent_without_a_preset_of_its_own_starts_with_the_preset_it_is_given_and_is_refused_without_one()
    {
        _world.Preset("mock", ("ANTHROPIC_BASE_URL", "http://127.0.0.1:9/"), ("ANTHROPIC_API_KEY", "sk-registry-0001"), ("ANTHROPIC_MODEL", "claude-test"));
        _world.WriteAgentsYaml("agents:\n  - name: direct\n    adapter: anthropic\n");
        var registry = _world.NewRegistry(new AgentRegistryOptions { Adapters = AdapterCatalog.Default, SweepOrphans = false });

        var bare = await Assert.ThrowsAsync<AiSwitchException>(() => registry.StartAsync(new StartAgentRequest { Name = "direct" }));
        var started = await registry.StartAsync(new StartAgentRequest { Name = "direct", Preset = "mock" });

        Assert.Contains("has no preset and no ANTHROPIC_BASE_URL", bare.Message, StringComparison.Ordinal);
        Assert.Equal(("mock", AgentStatus.Idle), (started.Preset, started.Status));
    }

    [Fact]
    public async Task A_long_lived_agent_runs_tasks_and_stopping_it_kills_its_process()
    {
        DefineDaemon();
        var registry = _world.NewRegistry();

        var started = await registry.StartAsync(new StartAgentRequest { Name = "daemon" });
        var answer = await registry.RunAsync(new AgentRunRequest { Agent = "daemon", Task = Work("ping") });
        var stopped = await registry.StopAsync(new StopAgentRequest { Name = "daemon" });

        Assert.Equal("echo ping", answer.Text.TrimEnd());
        Assert.Equal(AgentStatus.Stopped, stopped.Status);
        Assert.Empty(await ProcessTree.WaitAllGoneAsync([started.Pid!.Value], TimeSpan.FromSeconds(5)));
        Assert.Empty(Directory.GetFiles(ProcessSupervisor.PidDirectory(_world.Home)));
    }

    [Fact]
    public async Task An_agent_killed_with_SIGKILL_is_restarted_three_times_then_is_in_Error_with_the_reason()
    {
        DefineDaemon();
        var registry = _world.NewRegistry();
        var statuses = new StatusRecorder(registry);
        var pid = (await registry.StartAsync(new StartAgentRequest { Name = "daemon" })).Pid!.Value;
        var pids = new List<int> { pid };

        for (var restart = 1; restart <= 3; restart++)
        {
            var back = statuses.Next(s => s.Current == AgentStatus.Idle);
            Process.GetProcessById(pid).Kill(); // SIGKILL
            await back.WaitAsync(TimeSpan.FromSeconds(20));
            var agent = registry.Get("daemon").Single();
            Assert.Equal(restart, agent.Restarts);
            Assert.NotEqual(pid, agent.Pid!.Value);
            pid = agent.Pid!.Value;
            pids.Add(pid);
        }

        var error = statuses.Next(s => s.Current == AgentStatus.Error);
        Process.GetProcessById(pid).Kill();
        var failed = await error.WaitAsync(TimeSpan.FromSeconds(20));

        var final = registry.Get("daemon").Single();
        Assert.Equal((AgentStatus.Error, 3, 4L), (final.Status, final.Restarts, final.Errors));
        Assert.Contains("killed by signal 9, SIGKILL", final.LastError);
        Assert.Contains("restarted 3 time(s), the limit (max_restarts 3)", final.LastError);
        Assert.Equal(final.LastError, failed.Reason);
        Assert.Equal(4, _world.LongLivedAdapter.Started.Count);
        Assert.Empty(await ProcessTree.WaitAllGoneAsync(pids, TimeSpan.FromSeconds(5)));
        var task = await Assert.ThrowsAsync<AiSwitchException>(() => registry.RunAsync(new AgentRunRequest { Agent = "daemon", Task = Work() }));
        Assert.Equal(ErrorId.AgentNotResponding, task.Id);
    }

    [Fact]
    public async Task Callers_starting_one_agent_at_once_start_it_once()
    {
        DefineDaemon();
        var registry = _world.NewRegistry();

        await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(_ => System.Threading.Tasks.Task.Run(() => registry.StartAsync(new StartAgentRequest { Name = "daemon" }))));
        var answer = await registry.RunAsync(new AgentRunRequest { Agent = "daemon", Task = Work("once") });

        Assert.Single(_world.LongLivedAdapter.Started);
        Assert.Equal("echo once", answer.Text.TrimEnd());
    }

    [Fact]
    [Trait("Suite", "Hostile")]
    public async Task An_agent_cut_off_for_not_reading_its_stdin_goes_to_Error_with_that_reason()
    {
        var flooder = Adapters.TestLaunches.FloodingAgent("flooder");
        var script = AgentTestSupport.Script(_world.Scripts, "flooder.sh", flooder.Arguments[1]);
        _world.WriteAgentsYaml($"agents:\n  - name: flooder\n    adapter: jsonrpc\n    command: {script}\n    restart_policy: never\n");
        var registry = _world.NewRegistry(new AgentRegistryOptions { Adapters = new AdapterCatalog(new JsonRpcAgentAdapter()) });
        var statuses = new StatusRecorder(registry);
        var error = statuses.Next(s => s.Current == AgentStatus.Error);

        await registry.StartAsync(new StartAgentRequest { Name = "flooder" });
        await error.WaitAsync(TimeSpan.FromSeconds(20));

        var agent = registry.Get("flooder").Single();
        Assert.Equal(AgentStatus.Error, agent.Status);
        Assert.Contains("'agent 'flooder'' stopped reading what was sent to it: over 16 MiB of messages were waiting", agent.LastError, StringComparison.Ordinal);
        Assert.Contains("its restart_policy is 'never'", agent.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_policy_never_goes_to_Error_on_the_first_death()
    {
        DefineDaemon(extra: "    restart_policy: never\n");
        var registry = _world.NewRegistry();
        var statuses = new StatusRecorder(registry);
        var pid = (await registry.StartAsync(new StartAgentRequest { Name = "daemon" })).Pid!.Value;

        var error = statuses.Next(s => s.Current == AgentStatus.Error);
        Process.GetProcessById(pid).Kill();
        await error.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Contains("its restart_policy is 'never'", registry.Get("daemon").Single().LastError);
        Assert.Single(_world.LongLivedAdapter.Started);
    }

    [Fact]
    public async Task An_agent_that_fails_its_health_probe_is_killed_and_replaced()
    {
        DefineDaemon();
        var registry = _world.NewRegistry(_world.Options(health: TimeSpan.FromMilliseconds(50)));
        var statuses = new StatusRecorder(registry);
        var first = (await registry.StartAsync(new StartAgentRequest { Name = "daemon" })).Pid!.Value;

        var restarted = statuses.Next(s => s.Previous == AgentStatus.Starting && s.Current == AgentStatus.Idle);
        _world.LongLivedAdapter.Started.Single().Health = AgentHealth.Unhealthy("no heartbeat for 30 s");
        await restarted.WaitAsync(TimeSpan.FromSeconds(20));

        var agent = registry.Get("daemon").Single();
        Assert.Equal(1, agent.Restarts);
        Assert.Equal("its health check failed: no heartbeat for 30 s", agent.LastError);
        Assert.Empty(await ProcessTree.WaitAllGoneAsync([first], TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_switch_of_the_agents_environment_reaches_its_next_task()
    {
        _world.Preset("first", ("WHICH", "first"));
        _world.Preset("second", ("WHICH", "second"));
        DefineDaemon(extra: "    preset: first\n");
        var registry = _world.NewRegistry();
        await registry.StartAsync(new StartAgentRequest { Name = "daemon" });
        var before = await registry.RunAsync(new AgentRunRequest { Agent = "daemon", Task = Work("a") });

        using (var other = new AiSession(_world.Home, _world.Parent))
        {
            new EnvironmentOperations(other).Switch("daemon", "second");
        }

        await registry.RunAsync(new AgentRunRequest { Agent = "daemon", Task = Work("b") });

        Assert.Equal("echo a first", before.Text.TrimEnd());
        var live = _world.LongLivedAdapter.Started.Single();
        Assert.Equal(("second", "second"), (live.Launch.PresetName, live.Launch.Environment["WHICH"]));
        Assert.Equal("second", registry.Get("daemon").Single().Preset);
    }

    [Fact]
    public async Task A_task_result_and_its_ledger_record_carry_the_preset_the_agent_really_ran_with()
    {
        _world.Preset("first", ("WHICH", "first"));
        _world.Preset("second", ("WHICH", "second"));
        DefineDaemon(extra: "    preset: first\n");
        var registry = _world.NewRegistry();
        using (var other = new AiSession(_world.Home, _world.Parent))
        {
            new EnvironmentOperations(other).Switch("daemon", "second");
        }

        var ledger = new TokenLedger(_world.Home);
        var operations = new TaskOperations(_world.Home, new RegistryTaskAgents(registry), new LockOperations(_world.Home, sessionId: "preset-test")) { Ledger = ledger };
        var results = new List<TaskResult>();
        await foreach (var result in operations.InvokeAsync(new InvokeTaskRequest { Tasks = [new TaskSpec { Prompt = "p" }], Agents = ["daemon"] }, SilentOperationContext.Instance))
        {
            results.Add(result);
        }

        var records = new List<LedgerRecord>();
        ledger.Scan(null, null, records.Add, null, withIds: true);
        Assert.Equal(("echo p second", "second"), (Assert.Single(results).Output.TrimEnd(), results[0].Preset));
        Assert.Equal("second", Assert.Single(records).Preset);
    }

    [Fact]
    public async Task Ending_the_session_kills_every_agent_it_started()
    {
        DefineDaemon();
        var session = _world.NewSession();
        var registry = session.GetService(s => new AgentRegistry(s, _world.Options()));
        var pid = (await registry.StartAsync(new StartAgentRequest { Name = "daemon" })).Pid!.Value;
        var tree = ProcessTree.WithDescendants(pid);

        session.Dispose();

        Assert.Empty(await ProcessTree.WaitAllGoneAsync(tree, TimeSpan.FromSeconds(5)));
        Assert.Empty(_world.NewRegistry().Get("daemon", runningOnly: true));
    }

    [Fact]
    public async Task A_new_sessions_registry_kills_the_agents_of_a_session_that_was_SIGKILLed()
    {
        var script = AgentTestSupport.TreeScript(_world.Scripts);
        using var owner = Support.TestHostProcess.Start("agent-spawn", _world.Home.Root, "orphan", script);
        var agentPid = int.Parse((await owner.StandardOutput.ReadLineAsync())!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var tree = ProcessTree.WithDescendants(agentPid);
        owner.Kill();
        await owner.WaitForExitAsync();

        var registry = _world.NewRegistry();

        Assert.Equal(agentPid, Assert.Single(registry.SweptOrphans).Pid);
        Assert.Empty(await ProcessTree.WaitAllGoneAsync(tree, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Cancelling_a_task_kills_its_process_tree()
    {
        AgentTestSupport.TreeScript(_world.Scripts);
        _world.WriteAgentsYaml($"agents:\n  - name: slow\n    adapter: fake-task\n    command: {Path.Combine(_world.Scripts, "tree.sh")}\n");
        var registry = _world.NewRegistry();
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource<int>();
        var observer = new StartObserver(started);

        var run = registry.RunAsync(new AgentRunRequest { Agent = "slow", Task = Work(), Observer = observer }, cancel.Token);
        var pid = await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var tree = ProcessTree.WithDescendants(pid);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        // The tree sleeps for 300 s, so its being gone is the kill's doing; the wait is only a generous safety bound.
        Assert.Empty(await ProcessTree.WaitAllGoneAsync(tree, TimeSpan.FromSeconds(15)));
        Assert.Equal((0, 1L), (registry.Get("slow").Single().ActiveTasks, registry.Get("slow").Single().Errors));
    }

    private sealed class StartObserver(TaskCompletionSource<int> started) : IAgentRunObserver
    {
        public void OnStarted(int? pid) => started.TrySetResult(pid!.Value);

        public void OnFirstToken()
        {
        }

        public void OnText(string delta)
        {
        }

        public void OnEvent(string kind)
        {
        }
    }
}

/// <summary>Awaitable status changes of a registry: arm with <see cref="Next"/> before causing the change.</summary>
internal sealed class StatusRecorder
{
    private readonly List<(Func<AgentStatusChangedEventArgs, bool> Match, TaskCompletionSource<AgentStatusChangedEventArgs> Done)> _waiting = [];

    public StatusRecorder(AgentRegistry registry)
    {
        registry.StatusChanged += (_, e) =>
        {
            lock (_waiting)
            {
                foreach (var waiter in _waiting.Where(w => w.Match(e)).ToList())
                {
                    _waiting.Remove(waiter);
                    waiter.Done.TrySetResult(e);
                }
            }
        };
    }

    public Task<AgentStatusChangedEventArgs> Next(Func<AgentStatusChangedEventArgs, bool> match)
    {
        var done = new TaskCompletionSource<AgentStatusChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiting)
        {
            _waiting.Add((match, done));
        }

        return done.Task;
    }
}
