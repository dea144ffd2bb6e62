using AiSwitch.Core.Locking;
using AiSwitch.Core.Tasks;
using AiSwitch.Core.Tests.Support;

namespace AiSwitch.Core.Tests.Tasks;

/// <summary>config/coordination.yaml: what the engine does when a request leaves the mode, a lock wait or an agent's cap open.</summary>
public sealed class CoordinationConfigTests
{
    private static void WriteConfig(Core.Home.AiHome home, string yaml)
    {
        Directory.CreateDirectory(home.ConfigDir);
        File.WriteAllText(CoordinationConfig.PathIn(home), yaml);
    }

    private static List<TaskSpec> Prompts(int count) => [.. Enumerable.Range(1, count).Select(i => new TaskSpec { Prompt = $"p{i}" })];

    [Fact]
    public async Task Default_mode_sequential_runs_a_request_that_names_no_mode_one_agent_after_another()
    {
        using var engine = new TaskEngineFixture();
        foreach (var name in new[] { "a", "b", "c" })
        {
            engine.Adapter.On(name, FakeBehaviours.Answer(name, delayMs: 30));
        }

        WriteConfig(engine.Home, "# the team's default\ndefault_mode: sequential\n");
        var results = await engine.RunAsync(new InvokeTaskRequest { Tasks = Prompts(1), Agents = ["a", "b", "c"] });

        Assert.Equal(["a", "b", "c"], results.Select(r => r.Agent));
        Assert.Equal(1, engine.Adapter.PeakConcurrency);
        Assert.All(engine.Operations.Plan(new InvokeTaskRequest { Tasks = Prompts(1), Agents = ["a", "b"] }).Skip(1), unit => Assert.NotNull(unit.After));
    }

    [Fact]
    public async Task A_mode_the_request_names_wins_over_the_default()
    {
        using var engine = new TaskEngineFixture();
        foreach (var name in new[] { "a", "b" })
        {
            engine.Adapter.On(name, FakeBehaviours.Answer(name, delayMs: 200));
        }

        WriteConfig(engine.Home, "default_mode: chain\n");
        await engine.RunAsync(new InvokeTaskRequest { Tasks = Prompts(1), Agents = ["a", "b"], Mode = TaskMode.Parallel });

        Assert.Equal(2, engine.Adapter.PeakConcurrency);
    }

    [Fact]
    public async Task An_agents_max_concurrent_tasks_caps_it_below_its_definitions_max_concurrency()
    {
        using var engine = new TaskEngineFixture(TaskEngineFixture.Agent("a", maxConcurrency: 4), TaskEngineFixture.Agent("b", maxConcurrency: 4));
        engine.Adapter.On("a", FakeBehaviours.Answer("a", delayMs: 60));
        engine.Adapter.On("b", FakeBehaviours.Answer("b", delayMs: 60));

        WriteConfig(engine.Home, "agents:\n  A:\n    max_concurrent_tasks: 1\n");
        var results = await engine.RunAsync(new InvokeTaskRequest { Tasks = Prompts(8), Agents = ["a", "b"], Mode = TaskMode.Distribute, Distribution = DistributionStrategy.LeastBusy });

        Assert.Equal(8, results.Count(r => r.Success));
        Assert.Equal(1, engine.Adapter.PeakByAgent["a"]);
        Assert.Equal(4, engine.Adapter.PeakByAgent["b"]);
    }

    [Fact]
    public async Task Throttle_limit_applies_to_a_request_that_gives_none()
    {
        using var engine = new TaskEngineFixture();
        foreach (var name in new[] { "a", "b", "c" })
        {
            engine.Adapter.On(name, FakeBehaviours.Answer(name, delayMs: 80));
        }

        WriteConfig(engine.Home, "throttle_limit: 2\n");
        await engine.RunAsync(new InvokeTaskRequest { Tasks = Prompts(1), Agents = ["a", "b", "c"], Mode = TaskMode.Parallel });

        Assert.Equal(2, engine.Adapter.PeakConcurrency);
    }

    [Fact]
    public async Task Lock_timeout_seconds_is_the_wait_of_a_lock_request_that_names_none()
    {
        using var temp = new TempHome();
        WriteConfig(temp.Home, "lock_timeout_seconds: 0\n");
        using var holder = new LockOperations(temp.Home, sessionId: "holder");
        using var waiter = new LockOperations(temp.Home, sessionId: "waiter");
        await using var held = await holder.AcquireAsync(new AcquireLockRequest("deploy"));

        var error = await Assert.ThrowsAsync<AiSwitchException>(() => waiter.AcquireAsync(new AcquireLockRequest("deploy")));

        Assert.Equal(ErrorId.LockTimeout, error.Id);
        Assert.StartsWith("Timed out after 0 s", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("default_mode: fast\n", 1, "default_mode is 'fast'; use parallel, sequential or chain")]
    [InlineData("default_mode: chain\nlock_timeout: 5\n", 2, "unknown key 'lock_timeout'")]
    [InlineData("agents:\n  claude:\n    max_concurrent_tasks: 0\n", 3, "max_concurrent_tasks is '0'; give a whole number from 1 to 64")]
    [InlineData("log:\n  keep: many\n", 2, "keep is 'many'")]
    public void A_bad_file_is_a_configuration_error_naming_the_file_the_line_and_the_problem(string yaml, int line, string problem)
    {
        using var engine = new TaskEngineFixture();
        WriteConfig(engine.Home, yaml);

        var error = Assert.Throws<AiSwitchException>(() => engine.Operations.Plan(new InvokeTaskRequest { Tasks = Prompts(1), Agents = ["a"] }));

        Assert.Equal(ErrorId.ConfigurationError, error.Id);
        Assert.Contains($"Coordination file '{CoordinationConfig.PathIn(engine.Home)}' is invalid at line {line}", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(line.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Details!["line"]);
    }

    [Fact]
    public void A_file_nested_past_the_yaml_depth_limit_is_refused_before_it_is_parsed()
    {
        using var engine = new TaskEngineFixture();
        WriteConfig(engine.Home, "agents: " + new string('[', 200) + new string(']', 200) + "\n");

        var error = Assert.Throws<AiSwitchException>(() => engine.Operations.Plan(new InvokeTaskRequest { Tasks = Prompts(1), Agents = ["a"] }));

        Assert.Equal(ErrorId.ConfigurationError, error.Id);
        Assert.Contains("more than 64 levels deep", error.Message, StringComparison.Ordinal);
    }
}
