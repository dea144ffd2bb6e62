using AiSwitch.Core.Agents;
using AiSwitch.Core.Metrics;
using AiSwitch.Protocol;

namespace AiSwitch.Core.Tests.Agents;

public sealed class AgentMetricsSamplingTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private readonly AgentWorld _world = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task The_sessions_sampler_records_a_running_long_lived_agent()
    {
        var script = AgentTestSupport.Script(_world.Scripts, "idle-agent.sh", "echo ready\nwhile read line; do echo \"echo $line\"; done");
        _world.WriteAgentsYaml($"agents:\n  - name: daemon\n    adapter: fake-daemon\n    command: {script}\n");
        var registry = _world.NewRegistry(new AgentRegistryOptions
        {
            Adapters = _world.Options().Adapters,
            RestartBackoff = TimeSpan.FromMilliseconds(20),
            HealthInterval = TimeSpan.FromSeconds(30),
            MetricsInterval = Interval,
        });
        var sampler = registry.StartSampling();
        await registry.StartAsync(new StartAgentRequest { Name = "daemon" });
        var pid = registry.Get("daemon").Single().Pid;

        // Time is the subject here: let the sampler tick until it has written two samples (10 s at most on a loaded machine).
        var store = new MetricsStore(_world.Home);
        var samples = store.Query(new MetricsQuery { Agent = ["daemon"] });
        for (var waited = TimeSpan.Zero; samples.Count < 2 && waited < TimeSpan.FromSeconds(10); waited += Interval)
        {
            await Task.Delay(Interval);
            samples = store.Query(new MetricsQuery { Agent = ["daemon"] });
        }

        Assert.NotNull(sampler);
        Assert.Same(sampler, registry.StartSampling());
        Assert.Equal(Interval, sampler.Interval);
        Assert.True(samples.Count >= 2, $"expected at least 2 samples, got {samples.Count}");
        Assert.All(samples, s => Assert.Equal(pid, s.Pid));
        Assert.All(samples, s => Assert.True(s.MemoryMb > 0 && s.Threads >= 1));
        Assert.Contains(samples, s => s.Status is AgentStatus.Idle or AgentStatus.Running or AgentStatus.Busy);
        // The host is sampled at the same ticks: by the second one, with a CPU share.
        var host = store.QuerySystem(null, null);
        Assert.True(host.Count >= 2, $"expected a host sample per tick, got {host.Count}");
        Assert.Contains(host, h => h.CpuPercent is not null && h.MemoryTotalMb > 0 && h.Load1 is not null);
    }

    [Fact]
    public async Task A_task_shorter_than_the_interval_is_sampled_when_it_starts_and_when_it_ends()
    {
        // An hour between ticks: only the samples taken at the task's start and end can be there. The agent runs until
        // the test has seen the start sample, so that sample reads a live process.
        var release = Path.Combine(_world.Root, "release");
        var script = AgentTestSupport.Script(_world.Scripts, "until-released.sh", $"echo answering\nwhile [ ! -e '{release}' ]; do sleep 0.05; done");
        _world.WriteAgentsYaml($"agents:\n  - name: quick\n    adapter: fake-task\n    command: {script}\n  - name: failing\n    adapter: fake-task\n    command: \"false\"\n");
        var registry = _world.NewRegistry(new AgentRegistryOptions { Adapters = _world.Options().Adapters, MetricsInterval = TimeSpan.FromHours(1) });
        var store = new MetricsStore(_world.Home);

        var running = registry.RunAsync(new AgentRunRequest { Agent = "quick", Task = new() { Id = "t1", Prompt = "hi" } });
        var started = await Samples(store, "quick", 1);
        await File.WriteAllTextAsync(release, string.Empty);
        var ok = await running;
        var failed = await registry.RunAsync(new AgentRunRequest { Agent = "failing", Task = new() { Id = "t2", Prompt = "hi" } });
        registry.StartSampling()!.Flush();

        // The sampler's own first tick runs once, at its start, and may also have caught the task's process.
        var quick = store.Query(new MetricsQuery { Agent = ["quick"] });
        var first = started[0];
        var last = quick[^1];
        Assert.True(ok.Success);
        Assert.Equal((0L, 1L), (first.TaskCount, last.TaskCount));
        Assert.Equal(AgentStatus.Busy, first.Status); // its one slot is taken
        Assert.Equal(ok.Pid, first.Pid);
        Assert.True(first.MemoryMb > 0, "the start sample reads the task's process");
        Assert.Equal(0, first.ResponseTimeMs); // no task had ended yet
        Assert.True(last.ResponseTimeMs > 0, "the end sample carries the task's response time");
        Assert.Equal(0, first.FirstTokenMs);
        // It answered at once and then waited for the release: its first token came before its end.
        Assert.InRange(last.FirstTokenMs, double.Epsilon, last.ResponseTimeMs);
        Assert.Equal(ok.TimeToFirstToken!.Value.TotalMilliseconds, last.FirstTokenMs, tolerance: 0.001); // stored to 3 decimals
        Assert.Null(last.NetworkIoKb); // not measured, and says so
        Assert.Equal(AgentStatus.Idle, last.Status);
        Assert.False(failed.Success);
        Assert.Equal(1L, store.Query(new MetricsQuery { Agent = ["failing"] })[^1].ErrorCount);
    }

    /// <summary>Waits until the store holds <paramref name="count"/> samples of the agent (a minute at most on a loaded machine).</summary>
    private static async Task<IReadOnlyList<AgentMetricsSample>> Samples(MetricsStore store, string agent, int count)
    {
        var samples = store.Query(new MetricsQuery { Agent = [agent] });
        for (var waited = TimeSpan.Zero; samples.Count < count && waited < TimeSpan.FromMinutes(1); waited += Interval)
        {
            await Task.Delay(Interval);
            samples = store.Query(new MetricsQuery { Agent = [agent] });
        }

        Assert.True(samples.Count >= count, $"expected {count} samples of '{agent}', got {samples.Count}");
        return samples;
    }

    [Fact]
    public void A_zero_interval_turns_sampling_off()
    {
        var registry = _world.NewRegistry(new AgentRegistryOptions { Adapters = _world.Options().Adapters, MetricsInterval = TimeSpan.Zero });

        Assert.Null(registry.StartSampling());
    }
}
