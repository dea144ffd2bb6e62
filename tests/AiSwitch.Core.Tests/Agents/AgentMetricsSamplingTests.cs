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
    }

    [Fact]
    public void A_zero_interval_turns_sampling_off()
    {
        var registry = _world.NewRegistry(new AgentRegistryOptions { Adapters = _world.Options().Adapters, MetricsInterval = TimeSpan.Zero });

        Assert.Null(registry.StartSampling());
    }
}
