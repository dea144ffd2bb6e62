using AiSwitch.Core.Metrics;
using AiSwitch.Core.Tests.Support;
using AiSwitch.Core.Tests.Usage;
using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Metrics;

/// <summary>Host samples (CPU, memory, load) beside the agents': read, stored, queried and shown in the monitor's header.</summary>
public sealed class SystemMetricsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly TempHome _home = new();
    private readonly ManualClock _clock = new(T0);

    public void Dispose() => _home.Dispose();

    [Fact]
    public void The_cpu_share_is_the_busy_time_between_two_readings_over_the_time_between_them()
    {
        var probe = new FakeSystemProbe { Busy = TimeSpan.FromSeconds(100), Total = TimeSpan.FromSeconds(400) };
        var sampler = new SystemSampler(probe, _clock);

        var first = sampler.Sample();
        probe.Busy += TimeSpan.FromSeconds(3);   // 3 s of 10 s busy: 30 %
        probe.Total += TimeSpan.FromSeconds(10);
        var second = sampler.Sample();

        Assert.Null(first.CpuPercent); // since boot is no share of now
        Assert.Equal(30.0, second.CpuPercent);
        Assert.Equal((1024.0, 4096.0, 1.5, 1.25, 1.0), (second.MemoryUsedMb!.Value, second.MemoryTotalMb, second.Load1!.Value, second.Load5!.Value, second.Load15!.Value));
        Assert.Equal(Environment.ProcessorCount, second.Processors);
    }

    [Fact]
    public void The_proc_probe_reads_this_host()
    {
        Assert.True(OperatingSystem.IsLinux(), "the /proc probe is Linux's; this suite runs on Linux");

        var reading = new SystemProbes.ProcSystemProbe().Read();

        Assert.InRange(reading.MemoryTotalBytes, 64L << 20, 64L << 40);
        Assert.InRange(reading.MemoryUsedBytes!.Value, 1L, reading.MemoryTotalBytes);
        Assert.InRange(reading.Busy!.Value, TimeSpan.Zero, reading.Total!.Value);
        Assert.Equal(3, reading.Load!.Length);
        Assert.All(reading.Load, load => Assert.True(load >= 0));
    }

    [Fact]
    public void Each_tick_stores_a_host_sample_even_with_no_agent_running()
    {
        var store = new MetricsStore(_home.Home, _clock);
        var probe = new FakeSystemProbe { Busy = TimeSpan.FromSeconds(1), Total = TimeSpan.FromSeconds(4) };
        var sampler = new MetricsSampler(new NoAgents(), store, clock: _clock, batchSize: 1, system: new SystemSampler(probe, _clock));

        sampler.SampleOnce();
        _clock.Now = T0.AddSeconds(5);
        probe.Busy += TimeSpan.FromSeconds(1);
        probe.Total += TimeSpan.FromSeconds(2);
        sampler.SampleOnce();

        var all = store.QuerySystem(null, null);
        Assert.Equal([T0, T0.AddSeconds(5)], all.Select(s => s.Timestamp));
        Assert.Equal([null, 50.0], all.Select(s => s.CpuPercent));
        Assert.Equal([T0.AddSeconds(5)], store.QuerySystem(T0.AddSeconds(1), null).Select(s => s.Timestamp));
        Assert.Empty(store.Query(new MetricsQuery())); // no agent samples were made up
        Assert.Equal(ErrorId.InvalidArgument, Assert.Throws<AiSwitchException>(() => store.QuerySystem(T0, T0)).Id);
    }

    [Fact]
    public void The_monitor_header_shows_the_host_and_a_dash_for_what_the_os_does_not_say()
    {
        var ledger = new TokenLedger(_home.Home);
        var store = new MetricsStore(_home.Home, _clock);
        var monitor = new AgentMonitor(store, new QuotaGuard(_home.Home, ledger, new AlertEngine(_home.Home, _clock), _clock), _clock);
        var host = new SystemMetricsSample { Timestamp = T0, CpuPercent = 23.456, MemoryUsedMb = 5321, MemoryTotalMb = 23456, Load1 = 1.2, Load5 = 0.9, Load15 = 0.8, Processors = 2 };
        var windows = new SystemMetricsSample { Timestamp = T0, CpuPercent = 5, MemoryUsedMb = 100, MemoryTotalMb = 200, Processors = 8 };

        var lines = monitor.Frame([], 200, T0, host).Split('\n');

        Assert.Equal("Host: CPU 23.5 %  memory 5,321 / 23,456 MB  load 1.20 0.90 0.80  2 cores\u001b[K", lines[1]);
        Assert.Equal("Host: CPU 5.0 %  memory 100 / 200 MB  8 cores", AgentMonitor.HostLine(windows));
        Assert.Equal("Host: CPU -  memory - / 200 MB  8 cores", AgentMonitor.HostLine(new SystemMetricsSample { MemoryTotalMb = 200, Processors = 8 }));
    }

    [Fact]
    public void The_door_refuses_agents_or_an_aggregation_for_host_samples()
    {
        using var session = new AiSession(_home.Home, new AiSwitch.Core.Home.InMemoryEnvironment(new Dictionary<string, string>()));

        var error = Assert.Throws<AiSwitchException>(() => session.Metrics.QuerySystem(new MetricsQuery { Agent = ["claude"] }));

        Assert.Equal(ErrorId.InvalidArgument, error.Id);
        Assert.Contains("leave out Agent, Aggregation and Interval with System", error.Message, StringComparison.Ordinal);
        Assert.Empty(session.Metrics.QuerySystem(new MetricsQuery()));
    }

    private sealed class FakeSystemProbe : ISystemProbe
    {
        public TimeSpan Busy { get; set; }

        public TimeSpan Total { get; set; }

        public SystemReading Read() => new(Busy, Total, 1L << 30, 4L << 30, [1.5, 1.25, 1.0]);
    }

    private sealed class NoAgents : ILiveAgentSource
    {
        public IReadOnlyList<LiveAgent> RunningAgents() => [];
    }
}
