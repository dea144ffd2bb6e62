using AiSwitch.Core.Agents;
using AiSwitch.Core.Tasks;
using AiSwitch.Core.Tests.Support;
using AiSwitch.Core.Tests.Usage;

namespace AiSwitch.Core.Tests.Tasks;

public sealed class CircuitBreakerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Consecutive_failures_open_the_circuit_a_probe_passes_after_the_cool_down_and_its_outcome_closes_or_reopens_it()
    {
        using var home = new TempHome();
        var clock = new ManualClock(Start);
        var circuits = new AgentCircuits(home.Home, clock) { FailureThreshold = 3, CoolDown = TimeSpan.FromSeconds(30) };

        circuits.Failed("a", "boom 1", down: false);
        circuits.Failed("a", "boom 2", down: false);
        Assert.Equal((CircuitState.Closed, 2, true), (circuits.Get("a").State, circuits.Get("a").Failures, circuits.Get("a").Admits));
        Assert.True(circuits.TryAdmit("a"));

        circuits.Failed("a", "boom 3", down: false);
        var open = circuits.Get("a");
        Assert.Equal((CircuitState.Open, 3, false, Start.AddSeconds(30), "boom 3"), (open.State, open.Failures, open.Admits, open.ProbeAt, open.LastError));
        Assert.False(circuits.TryAdmit("a"));

        clock.Now = Start.AddSeconds(30);
        Assert.Equal((CircuitState.HalfOpen, true), (circuits.Get("a").State, circuits.Get("a").Admits));
        Assert.True(circuits.TryAdmit("a"));
        Assert.False(circuits.TryAdmit("a")); // one probe at a time
        circuits.Failed("a", "still broken", down: false);
        Assert.Equal((CircuitState.Open, Start.AddSeconds(60)), (circuits.Get("a").State, circuits.Get("a").ProbeAt));

        clock.Now = Start.AddSeconds(60);
        Assert.True(circuits.TryAdmit("a"));
        circuits.Succeeded("a");
        Assert.Equal(CircuitView.Closed("a"), circuits.Get("a"));

        // A success in between starts the count again.
        circuits.Failed("a", "x", down: false);
        circuits.Succeeded("a");
        circuits.Failed("a", "y", down: false);
        circuits.Failed("a", "z", down: false);
        Assert.Equal(CircuitState.Closed, circuits.Get("a").State);
    }

    [Fact]
    public void An_agent_that_cannot_start_opens_its_circuit_at_once_and_other_sessions_see_it()
    {
        using var home = new TempHome();
        var clock = new ManualClock(Start);
        new AgentCircuits(home.Home, clock).Failed("a", "command not found", down: true);

        var elsewhere = new AgentCircuits(home.Home, clock).Get("a");

        Assert.Equal((CircuitState.Open, 1, false), (elsewhere.State, elsewhere.Failures, elsewhere.Admits));
    }

    public static TheoryData<DistributionStrategy> Strategies() => [DistributionStrategy.RoundRobin, DistributionStrategy.LeastBusy, DistributionStrategy.Capability, DistributionStrategy.Hash];

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task Every_strategy_sends_no_more_tasks_to_an_agent_whose_command_is_missing(DistributionStrategy strategy)
    {
        using var engine = Engine(out _);
        engine.Adapter.On("broken", FakeBehaviours.Fail("aiswitch-missing: command not found", id: ErrorId.AgentCommandNotFound));
        var request = Request(strategy, Prompts(engine, strategy));
        Assert.True(engine.Operations.Plan(request).Count(u => u.Agent is "broken" or null) >= 2, "the plan sends fewer than two tasks to 'broken': the test proves nothing");

        var results = await engine.RunAsync(request);

        Assert.Equal(["broken"], engine.Adapter.Calls.Where(c => c.Agent.Name == "broken").Select(c => c.Agent.Name));
        Assert.Equal(3, results.Count(r => r.Success && r.Agent == "good"));
        Assert.Equal(nameof(ErrorId.AgentCommandNotFound), Assert.Single(results, r => !r.Success).ErrorId);
    }

    [Fact]
    public async Task When_every_agent_is_open_the_task_fails_naming_the_agents_and_their_probe_time()
    {
        using var engine = Engine(out _);
        engine.Adapter.On("broken", FakeBehaviours.Fail("command not found", id: ErrorId.AgentCommandNotFound));
        engine.Adapter.On("good", FakeBehaviours.Fail("command not found", id: ErrorId.AgentCommandNotFound));

        var results = await engine.RunAsync(Request(DistributionStrategy.RoundRobin, ["p1", "p2", "p3"]));

        Assert.Equal(2, engine.Adapter.Calls.Count);
        var refused = results.Single(r => r.TaskId.EndsWith(".3", StringComparison.Ordinal));
        Assert.Equal(nameof(ErrorId.AgentCircuitOpen), refused.ErrorId);
        Assert.Contains("'broken' (Open, 1 failure(s) in a row, next probe at 2026-12-08 00:00:30Z", refused.Error);
        Assert.Contains("'good' (Open", refused.Error);
    }

    [Fact]
    public async Task After_the_cool_down_one_task_probes_the_open_agent_and_its_success_closes_the_circuit()
    {
        using var engine = Engine(out var clock);
        engine.Adapter.On("broken", FakeBehaviours.Fail("command not found", id: ErrorId.AgentCommandNotFound));
        await engine.RunAsync(Request(DistributionStrategy.RoundRobin, ["p1"]));
        Assert.Equal(CircuitState.Open, engine.Operations.Circuits!.Get("broken").State);

        engine.Adapter.On("broken", FakeBehaviours.Answer("fixed"));
        await engine.RunAsync(Request(DistributionStrategy.LeastBusy, ["p2", "p3"]));
        Assert.DoesNotContain(engine.Adapter.Calls, c => c.Agent.Name == "broken" && c.Task.Prompt != "p1");

        clock.Now += AgentCircuits.DefaultCoolDown;
        var probed = await engine.RunAsync(Request(DistributionStrategy.LeastBusy, ["p4", "p5"]));

        Assert.Equal(["broken", "broken"], probed.Select(r => r.Agent));
        Assert.Equal(CircuitState.Closed, engine.Operations.Circuits.Get("broken").State);
    }

    /// <summary>config/coordination.yaml's <c>circuit</c>: how many failures open a circuit, and how long it stays open.</summary>
    [Fact]
    public async Task The_coordination_file_sets_the_failures_that_open_a_circuit_and_its_cool_down()
    {
        using var engine = Engine(out var clock);
        Directory.CreateDirectory(engine.Home.ConfigDir);
        File.WriteAllText(CoordinationConfig.PathIn(engine.Home), "circuit:\n  failures: 1\n  cool_down_seconds: 300\n");
        engine.Adapter.On("broken", FakeBehaviours.Fail("HTTP 500 from the provider"));

        await engine.RunAsync(Request(DistributionStrategy.RoundRobin, ["p1"]));
        var opened = engine.Operations.Circuits!.Get("broken");

        Assert.Equal((CircuitState.Open, 1), (opened.State, opened.Failures)); // one ordinary failure, not three
        Assert.Equal(Start.AddSeconds(300), opened.ProbeAt);
        clock.Now += AgentCircuits.DefaultCoolDown;
        await engine.RunAsync(Request(DistributionStrategy.RoundRobin, ["p2"]));
        Assert.Single(engine.Adapter.Calls, c => c.Agent.Name == "broken"); // still open after the default 30 s
    }

    [Fact]
    public async Task A_fallback_agent_whose_circuit_is_open_is_skipped_for_the_next_one()
    {
        using var engine = new TaskEngineFixture(TaskEngineFixture.Agent("broken", 1, "code"), TaskEngineFixture.Agent("good", 1, "code"), TaskEngineFixture.Agent("spare", 1, "code"));
        engine.Operations.Circuits = new AgentCircuits(engine.Home, new ManualClock(Start));
        engine.Adapter.On("broken", FakeBehaviours.Fail("aiswitch-missing: command not found", id: ErrorId.AgentCommandNotFound));
        await engine.RunAsync(Request(DistributionStrategy.RoundRobin, ["p1"]));       // opens broken's circuit
        Assert.Equal(CircuitState.Open, engine.Operations.Circuits.Get("broken").State);
        engine.Adapter.On("good", FakeBehaviours.Fail("HTTP 500 from the provider"));
        engine.Adapter.On("spare", FakeBehaviours.Answer("spare's answer"));

        var result = Assert.Single(await engine.RunAsync(new InvokeTaskRequest
        {
            Tasks = [new TaskSpec { Prompt = "p2" }], Agents = ["good"], Fallback = ["broken", "spare"], Mode = TaskMode.Parallel,
        }));

        Assert.Equal((TaskState.Completed, "spare"), (result.Status, result.Agent));
        Assert.Equal(["good", "spare"], engine.Adapter.Calls.Where(c => c.Task.Prompt == "p2").Select(c => c.Agent.Name));
    }

    private static TaskEngineFixture Engine(out ManualClock clock)
    {
        var engine = new TaskEngineFixture(TaskEngineFixture.Agent("broken", 1, "code"), TaskEngineFixture.Agent("good", 1, "code"));
        clock = new ManualClock(Start);
        engine.Operations.Circuits = new AgentCircuits(engine.Home, clock);
        return engine;
    }

    /// <summary>One task at a time, so each sees what the previous ones taught the circuits.</summary>
    private static InvokeTaskRequest Request(DistributionStrategy strategy, IReadOnlyList<string> prompts) => new()
    {
        Tasks = [.. prompts.Select(p => new TaskSpec { Prompt = p, Capabilities = strategy == DistributionStrategy.Capability ? ["code"] : [] })],
        Agents = ["broken", "good"],
        Mode = TaskMode.Distribute,
        Distribution = strategy,
        ThrottleLimit = 1,
    };

    /// <summary>Four prompts; under Hash, four that hash to 'broken' and 'good' two and two, so both agents are planned.</summary>
    private static List<string> Prompts(TaskEngineFixture engine, DistributionStrategy strategy)
    {
        if (strategy != DistributionStrategy.Hash)
        {
            return ["p1", "p2", "p3", "p4"];
        }

        var byAgent = Enumerable.Range(1, 100).Select(i => $"p{i}")
            .GroupBy(p => engine.Operations.Plan(Request(strategy, [p]))[0].Agent!)
            .ToDictionary(g => g.Key, g => g.Take(2).ToList());
        return [byAgent["broken"][0], byAgent["good"][0], byAgent["broken"][1], byAgent["good"][1]];
    }
}
